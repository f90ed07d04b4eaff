import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import supertest, { type Response } from 'supertest';
import { contractDocument } from '../../src/http/contract-document';
import { ASYNCAPI_FILE, CONSOLE_DIR, PROJECT_ROOT } from '../../src/paths';
import { API, buildTestApp, testConfig, type TestApp } from '../helpers/test-app';

const KEY = 'key-1234567890abcdef';
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const PACKAGE_JSON = readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8');

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

/** The body as text, whatever supertest made of it (it keeps images and unknown types as a Buffer). */
const textOf = (res: Response): string => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text ?? '');
const bytesOf = (res: Response): Buffer => (Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.text ?? '', 'utf8'));

/** Content types by extension, as a browser needs them (module scripts refuse anything but a JavaScript type). */
const EXPECTED_TYPE: Record<string, RegExp> = {
  '.html': /^text\/html/,
  '.js': /^(text|application)\/javascript/,
  '.mjs': /^(text|application)\/javascript/,
  '.css': /^text\/css/,
  '.json': /^application\/json/,
  '.svg': /^image\/svg\+xml/,
  '.png': /^image\/png/,
  '.ico': /^image\/(x-icon|vnd\.microsoft\.icon)/,
};

function expectTmfNotFound(res: Response): void {
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ code: expect.any(String), reason: expect.any(String), message: expect.any(String), status: '404', '@type': 'Error' });
}

/** The relative src= and href= of an HTML page (not links to other pages, data: URLs or absolute ones). */
function relativeAssets(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1])
    .filter((url) => !/^(data:|[a-z]+:\/\/|\/)/i.test(url));
}

describe('site: documents, API docs and the console', () => {
  let hub: TestApp;
  let http: ReturnType<typeof supertest>;

  beforeEach(async () => {
    hub = await buildTestApp();
    http = supertest(hub.app.callback());
  });

  describe('documents', () => {
    it('GET /openapi.json should answer the bundled OpenAPI document, with the configured paging bounds, as JSON', async () => {
      const res = await http.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(contractDocument(testConfig()));
      // Without API keys nothing is added.
      expect(res.body.security).toBeUndefined();
      expect(res.body.components.securitySchemes).toBeUndefined();
    });

    it('GET /asyncapi.json should answer the bundled AsyncAPI 3.0.0 document as JSON', async () => {
      const res = await http.get('/asyncapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(readJson(ASYNCAPI_FILE));
      expect(res.body.asyncapi).toBe('3.0.0');
    });

    it.each(['/openapi.json', '/asyncapi.json'])('POST %s should answer 405 TMF Error with Allow naming GET only', async (path) => {
      const res = await http.post(path).send({});
      expect(res.status).toBe(405);
      expect(res.body).toMatchObject({ status: '405', '@type': 'Error' });
      expect(res.headers.allow).toMatch(/GET/);
      expect(res.headers.allow).not.toMatch(/POST/);
    });
  });

  describe('/docs', () => {
    it('GET /docs should redirect (302) to /docs/', async () => {
      const res = await http.get('/docs');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/docs/');
    });

    it('GET /docs/ should be an HTML page loading swagger-ui-bundle.js and docs-init.js, each of its assets served', async () => {
      const res = await http.get('/docs/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const scripts = [...res.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'docs-init.js']));
      // The bundle is loaded before the script that uses it.
      expect(scripts.indexOf('swagger-ui-bundle.js')).toBeLessThan(scripts.indexOf('docs-init.js'));
      const assets = relativeAssets(res.text);
      expect(assets).toContain('swagger-ui.css');
      for (const asset of assets) {
        const path = new URL(asset, 'http://hub.test/docs/').pathname;
        expect([path, (await http.get(path)).status]).toEqual([path, 200]);
      }
    });

    it.each([
      ['swagger-ui-bundle.js', /^(text|application)\/javascript/],
      ['swagger-ui.css', /^text\/css/],
    ])('GET /docs/%s should answer 200 with the swagger-ui-dist file and its content type', async (name, type) => {
      const res = await http.get(`/docs/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(bytesOf(res).equals(readFileSync(join(SWAGGER_DIR, name)))).toBe(true);
    });

    it('GET /docs/docs-init.js should be JavaScript pointing Swagger UI at ../openapi.json (that is, /openapi.json)', async () => {
      const res = await http.get('/docs/docs-init.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      const text = textOf(res);
      expect(text).toContain('SwaggerUIBundle(');
      const url = /\burl:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
      expect(url).toBe('../openapi.json');
      expect(new URL(url!, 'http://hub.test/docs/').pathname).toBe('/openapi.json');
    });

    it.each(['unknown.js', 'index.html', 'package.json', 'swagger-ui-bundle.js.map', 'swagger-initializer.js'])(
      'GET /docs/%s should answer 404 TMF Error (only the listed swagger-ui files are served)',
      async (name) => {
        expectTmfNotFound(await http.get(`/docs/${name}`));
      },
    );
  });

  describe('/console', () => {
    const files = readdirSync(CONSOLE_DIR).filter((name) => statSync(join(CONSOLE_DIR, name)).isFile());

    it('src/console/static should hold an index.html and at least one script and stylesheet', () => {
      expect(files).toContain('index.html');
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    });

    it('GET /console should redirect (302) to /console/', async () => {
      const res = await http.get('/console');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/console/');
    });

    it('GET /console/ should answer index.html as HTML, with every asset it loads served', async () => {
      const res = await http.get('/console/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toBe(readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8'));
      const assets = relativeAssets(res.text);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const path = new URL(asset, 'http://hub.test/console/').pathname;
        expect([path, (await http.get(path)).status]).toEqual([path, 200]);
      }
    });

    it('should serve each file of src/console/static at /console/<name> with its content type', async () => {
      expect(files.length).toBeGreaterThan(1);
      for (const name of files) {
        const res = await http.get(`/console/${name}`);
        const expected = EXPECTED_TYPE[extname(name)];
        expect([name, res.status]).toEqual([name, 200]);
        expect([name, res.headers['content-type']]).toEqual([name, expect.stringMatching(expected ?? /^$/)]);
        expect([name, bytesOf(res).equals(readFileSync(join(CONSOLE_DIR, name)))]).toEqual([name, true]);
      }
    });

    it('should serve every module the console scripts import', async () => {
      for (const name of files.filter((f) => f.endsWith('.js'))) {
        const source = readFileSync(join(CONSOLE_DIR, name), 'utf8');
        for (const [, spec] of source.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]/g)) {
          const path = new URL(spec, 'http://hub.test/console/').pathname;
          expect([name, path, (await http.get(path)).status]).toEqual([name, path, 200]);
        }
      }
    });

    it('GET /console/unknown.js should answer 404 TMF Error', async () => {
      expectTmfNotFound(await http.get('/console/unknown.js'));
    });
  });

  describe('path traversal', () => {
    it.each([
      '/docs/..%2fpackage.json',
      '/docs/%2e%2e%2fpackage.json',
      '/docs/%2E%2E%2Fpackage.json',
      '/docs/..%2f..%2f..%2fpackage.json',
      '/docs/..%5cpackage.json',
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/..%2f..%2f..%2fpackage.json',
      '/console/..%2fhttp%2fsite-routes.ts',
    ])('GET %s should answer 404 and never the file', async (path) => {
      const res = await http.get(path);
      expectTmfNotFound(res);
      expect(textOf(res)).not.toContain('"name": "tmf688-hub"');
      expect(textOf(res)).not.toContain(PACKAGE_JSON.slice(0, 40));
      expect(textOf(res)).not.toContain('siteRoutes');
    });

    it.each(['/docs/../package.json', '/console/../../package.json'])('GET %s (unencoded) should answer 404 and never the file', async (path) => {
      const res = await http.get(path);
      expect(res.status).toBe(404);
      expect(textOf(res)).not.toContain('"name": "tmf688-hub"');
    });
  });

  describe('with API keys on', () => {
    let keyed: TestApp;
    let keyedHttp: ReturnType<typeof supertest>;

    beforeEach(async () => {
      keyed = await buildTestApp({ config: { apiKeys: [KEY] } });
      keyedHttp = supertest(keyed.app.callback());
    });

    it('GET /openapi.json should stay open and also declare the Bearer scheme and a top-level requirement, nothing else changed', async () => {
      const res = await keyedHttp.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const bundled = contractDocument(testConfig()) as Record<string, any>;
      const { security, components, ...rest } = res.body;
      const { components: bundledComponents, ...bundledRest } = bundled;
      expect(rest).toEqual(bundledRest);
      const { securitySchemes, ...otherComponents } = components;
      expect(otherComponents).toEqual(bundledComponents);

      const bearer = Object.entries(securitySchemes as Record<string, any>).filter(([, s]) => s.type === 'http' && /^bearer$/i.test(s.scheme));
      expect(bearer).toHaveLength(1);
      const [schemeName] = bearer[0];
      expect(security).toEqual([{ [schemeName]: [] }]);
    });

    it.each(['/console/', '/console/index.html', '/console/console.js', '/docs/', '/docs/docs-init.js', '/docs/swagger-ui.css', '/openapi.json', '/asyncapi.json', '/health'])(
      'GET %s should need no key',
      async (path) => {
        const res = await keyedHttp.get(path);
        expect(res.status).toBe(200);
        expect(res.headers['www-authenticate']).toBeUndefined();
      },
    );

    it.each(['/console', '/docs'])('GET %s should redirect without a key', async (path) => {
      const res = await keyedHttp.get(path);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`${path}/`);
    });

    it('GET /metrics should answer 401 without a key or with a wrong one, 200 with Authorization: Bearer <key>', async () => {
      const without = await keyedHttp.get('/metrics');
      expect(without.status).toBe(401);
      expect(without.body).toMatchObject({ status: '401', '@type': 'Error' });
      expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(without.text).not.toContain('tmf688_');
      const wrong = await keyedHttp.get('/metrics').set('Authorization', 'Bearer key-not-the-right-one');
      expect(wrong.status).toBe(401);
      const ok = await keyedHttp.get('/metrics').set('Authorization', `Bearer ${KEY}`);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('tmf688_events_published_total');
    });

    it(`GET ${API}/topic should answer 401 without a key, 200 with Authorization: Bearer <key>`, async () => {
      const without = await keyed.client.get(`${API}/topic`);
      expect(without.status).toBe(401);
      expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
      const ok = await keyed.client.get(`${API}/topic`, { Authorization: `Bearer ${KEY}` });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual([]);
    });

    it.each([
      '/console/..%2f..%2fmetrics',
      '/console/../metrics',
      '/docs/../metrics',
      `/docs/..%2f..${API}/topic`,
      `/console/../..${API}/topic`,
    ])('GET %s should not reach a keyed route through an open prefix', async (path) => {
      const res = await keyedHttp.get(path);
      expect([401, 404]).toContain(res.status);
      expect(res.text).not.toContain('tmf688_events_published_total');
      expect(res.body).not.toEqual([]);
    });
  });
});

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError } from '../errors';
import { ASYNCAPI_FILE, CONSOLE_DIR } from '../paths';
import { contractDocument, type ContractLimits } from './contract-document';
import { asyncApiWithSchemas, type PublishedSchema } from './asyncapi-with-schemas';
import { StaticFiles } from './static-files';

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>tmf688-hub API</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="docs-init.js"></script>
</body>
</html>
`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });\n`;

export interface SiteOptions {
  /** With access control on, the served OpenAPI document declares the Bearer scheme, so "Try it out" can send it. */
  credentialsRequired: boolean;
  /** The paging bounds the served document declares: those the API enforces. */
  limits: ContractLimits;
  /** The latest schema of every registered event type, added to /asyncapi.json as message payloads. */
  eventSchemas?: () => Promise<PublishedSchema[]>;
}

/**
 * Everything outside the API roots meant for people and tools: the bundled OpenAPI and AsyncAPI
 * documents, the OpenAPI document rendered at /docs, and the console at /console.
 */
export function siteRoutes({ credentialsRequired, limits, eventSchemas }: SiteOptions): Router {
  const router = new Router();
  const openapi = JSON.stringify(servedOpenApi(credentialsRequired, limits));
  const consoleFiles = new StaticFiles(CONSOLE_DIR);
  const swaggerFiles = new StaticFiles(dirname(require.resolve('swagger-ui-dist/package.json')), ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openapi;
  });
  router.get('/asyncapi.json', async (ctx) => {
    const text = readDocument(ASYNCAPI_FILE, 'The AsyncAPI document');
    const schemas = (await eventSchemas?.()) ?? [];
    ctx.type = 'application/json';
    ctx.body = schemas.length ? JSON.stringify(asyncApiWithSchemas(JSON.parse(text), schemas)) : text;
  });

  // The router ignores a trailing slash, so /docs and /docs/ meet here; pages need the slash for their relative assets.
  router.get('/docs', (ctx) => {
    if (!ctx.path.endsWith('/')) return ctx.redirect('/docs/');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_PAGE;
  });
  router.get('/docs/docs-init.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = DOCS_INIT;
  });
  router.get('/docs/:file', (ctx) => serve(ctx, swaggerFiles, ctx.params.file));

  router.get('/console', (ctx) => (ctx.path.endsWith('/') ? serve(ctx, consoleFiles, 'index.html') : ctx.redirect('/console/')));
  router.get('/console/:file', (ctx) => serve(ctx, consoleFiles, ctx.params.file));

  return router;
}

function serve(ctx: Context, files: StaticFiles, name: string): void {
  const file = files.get(name);
  if (!file) throw new NotFoundError(`No file ${name} at ${ctx.path}`);
  ctx.type = file.contentType;
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = file.body;
}

function readDocument(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new NotFoundError(`${what} is not bundled with this installation (${path})`);
  }
}

function servedOpenApi(credentialsRequired: boolean, limits: ContractLimits): Record<string, unknown> {
  const doc = contractDocument(limits) as unknown as Record<string, unknown> & { components: Record<string, unknown> };
  if (!credentialsRequired) return doc;
  const bearer = { type: 'http', scheme: 'bearer', description: 'An API key (HUB_API_KEYS, HUB_CLIENTS_FILE) or an OAuth2 access token of HUB_OIDC_ISSUER' };
  return { ...doc, components: { ...doc.components, securitySchemes: { bearer } }, security: [{ bearer: [] }] };
}

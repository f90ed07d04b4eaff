import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { CATALOG, ODA_FIXTURES } from '../helpers/oda-manifests';
import { runToEnd, type Run } from '../helpers/run-to-end';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

const CLI_JS = join(PROJECT_ROOT, 'dist', 'cli.js');
const ADMIN_KEY = 'cli-oda-admin-key-0123456789';

/** Runs `node dist/cli.js oda ...args` to its end, with no TMF688_HUB_* from the test's environment. */
function oda(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { TMF688_HUB_URL: _u, TMF688_HUB_TOKEN: _t, ...inherited } = process.env;
  return runToEnd(process.execPath, [CLI_JS, 'oda', ...args], { env: { ...inherited, ...env } });
}

/** `tmf688-hub oda apply|get|delete` (the built CLI) against a hub listening on a loopback port, with access control on. */
describe('tmf688-hub oda (node dist/cli.js)', () => {
  let hub: TestApp;
  let listening: Listening;

  beforeAll(async () => {
    if (!existsSync(CLI_JS)) throw new Error(`${CLI_JS} is missing: run npm run build first`);
    hub = await buildTestApp({ config: { apiKeys: [ADMIN_KEY] } });
    listening = await listenOnLoopback(hub.app);
  });
  afterAll(async () => {
    await listening.close();
    await hub.stop();
  });

  it('should apply a manifest file, apply it again as unchanged, show it and delete it', async () => {
    const url = ['--url', listening.origin, '--key', ADMIN_KEY];
    const applied = await oda(['apply', ODA_FIXTURES.catalog, ...url]);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toContain(`${CATALOG}: applied (new), generation 1\n  topics created: ProductSpecificationCreateEvent, ProductOfferingCreateEvent, ProductOfferingStateChangeEvent\n`);
    const topics = (await hub.client.get(`${API}/topic`, { Authorization: `Bearer ${ADMIN_KEY}` })).body as Array<{ id: string; name: string }>;
    expect(topics.map((t) => t.name).sort()).toEqual(['ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent', 'ProductSpecificationCreateEvent']);

    const again = await oda(['apply', ODA_FIXTURES.catalog], { TMF688_HUB_URL: listening.origin, TMF688_HUB_TOKEN: ADMIN_KEY });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${CATALOG}: applied (unchanged), generation 1\n`);
    expect(again.stdout).not.toContain('created:');

    const shown = await oda(['get', CATALOG, ...url]);
    expect(shown.code).toBe(0);
    for (const t of topics) expect(shown.stdout).toContain(`  publishes ${t.name}: topic ${t.id} (created)`);

    expect(await oda(['delete', CATALOG, ...url])).toEqual({ code: 0, stdout: `deleted ${CATALOG}: the topics and hubs it made are gone\n`, stderr: '' });
    const gone = await oda(['get', CATALOG, ...url]);
    expect(gone).toEqual({ code: 1, stdout: '', stderr: `oda get: 404 Resource not found: No ODA component named ${CATALOG} has been applied\n` });
  });

  it("should exit 1 with the hub's TMF Error, an unreadable file or an unreachable hub, and 2 on a bad command line", async () => {
    const noKey = await oda(['apply', ODA_FIXTURES.catalog, '--url', listening.origin]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^oda apply: 401 Unauthorized: /);
    const missing = await oda(['apply', '/nonexistent/component.yaml', '--url', listening.origin]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('oda apply: ENOENT');
    const away = await oda(['get', CATALOG, '--url', 'http://127.0.0.1:1']);
    expect(away.code).toBe(1);
    expect(away.stderr).toContain('oda get: cannot reach the hub at http://127.0.0.1:1');
    const usage = await oda(['remove', CATALOG]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('tmf688-hub: oda needs apply <file>, get <name> or delete <name>, got "remove"');
  });
});

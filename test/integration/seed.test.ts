import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { readSeeds } from '../../src/seed/read-seeds';
import { pollUntil } from '../helpers/poll';
import { runToEnd, type Run } from '../helpers/run-to-end';
import { startHubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv, MONGODB_URL, sharedMongoClient, STORE_KIND } from '../helpers/test-stores';

const API = '/tmf-api/event/v4';
const SEEDS = readSeeds();
const SEED_EVENTS = SEEDS.flatMap((s) => s.events);

/** The events each seeded inbox receives: hubs without a query get all of their topic's events. */
const FILTERED: Record<string, string[]> = {
  'alarm-critical': ['seed-alm-3001-create', 'seed-alm-3001-acknowledged'],
  'product-order-completed': ['seed-po-1001-completed'],
  'service-problem-resolved': ['seed-sp-2001-resolved'],
};

function expectedInboxes(): Map<string, string[]> {
  const inboxes = new Map<string, string[]>();
  for (const hub of SEEDS.flatMap((s) => s.hubs)) {
    const name = hub.callback.split('/inbox/')[1];
    const all = SEED_EVENTS.filter((e) => e.topic === hub.topic).map((e) => e.eventId);
    inboxes.set(name, hub.query ? FILTERED[name] : all);
  }
  return inboxes;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

function runNpmSeed(env: NodeJS.ProcessEnv): Promise<Run> {
  return runToEnd('npm', ['run', 'seed'], { cwd: PROJECT_ROOT, env });
}

describe('HUB_SEED=true (the built hub process)', () => {
  it(`should serve the seeded topics and events, and deliver them to its own inbox (${STORE_KIND} store)`, async () => {
    const filteredHubs = SEEDS.flatMap((s) => s.hubs).filter((h) => h.query).map((h) => h.callback.split('/inbox/')[1]);
    expect(filteredHubs.sort()).toEqual(Object.keys(FILTERED).sort());

    const hub = await startHubProcess({ HUB_SEED: 'true', HUB_DELIVERY_POLL: '100ms', ...freshDatabaseEnv() }, 20_000);
    try {
      await pollUntil(async () => (hub.output().includes('"msg":"seeds loaded"') ? true : undefined), 10_000, 'the "seeds loaded" log line');
      expect(hub.output()).not.toContain('seed loading failed');

      const topics = await getJson<Array<{ id: string; name: string }>>(`${hub.baseUrl}${API}/topic`);
      expect(topics.map((t) => t.name).sort()).toEqual(SEEDS.flatMap((s) => s.topics.map((t) => t.name)).sort());
      for (const topic of topics) {
        const events = await getJson<Array<{ eventId: string; href: string }>>(`${hub.baseUrl}${API}/topic/${topic.id}/event`);
        const seeded = SEED_EVENTS.filter((e) => e.topic === topic.name).map((e) => e.eventId);
        expect(events.map((e) => e.eventId)).toEqual(seeded);
        expect(events[0].href.startsWith(`${hub.baseUrl}${API}/topic/${topic.id}/event/`)).toBe(true);
      }

      for (const [name, eventIds] of expectedInboxes()) {
        const url = `${hub.baseUrl}${API}/inbox/${name}`;
        const entries = await pollUntil(
          async () => {
            const got = await getJson<Array<{ notification: { eventId: string } }>>(url);
            return got.length >= eventIds.length ? got : undefined;
          },
          10_000,
          `${eventIds.length} notifications in ${url}`,
        );
        expect(entries.map((e) => e.notification.eventId).sort()).toEqual([...eventIds].sort());
      }
    } finally {
      hub.child.kill('SIGTERM');
    }
    expect(await hub.exited).toBe(0);
  });

  it('should keep running without the seeds when loading them fails, saying why', async () => {
    // public-only refuses the loopback callbacks of the seeded hubs.
    const hub = await startHubProcess({ HUB_SEED: 'true', HUB_CALLBACK_POLICY: 'public-only', ...freshDatabaseEnv() }, 20_000);
    try {
      const line = await pollUntil(
        async () => hub.output().split('\n').find((l) => l.includes('"msg":"seed loading failed')),
        10_000,
        'the "seed loading failed" log line',
      );
      expect(JSON.parse(line)).toMatchObject({ level: 'error', error: expect.stringMatching(/^Seed file seeds\/\S+\.json: hubs\[0\] could not be loaded: callback: /) });
      expect((await fetch(`${hub.baseUrl}/health`)).status).toBe(200);
    } finally {
      hub.child.kill('SIGTERM');
    }
    expect(await hub.exited).toBe(0);
  });

  it('should refuse to start when a seed file is malformed, naming the file', async () => {
    // A copy of the built hub next to a seeds/ directory holding a broken file.
    const root = mkdtempSync(join(tmpdir(), 'tmf688-seed-'));
    try {
      cpSync(join(PROJECT_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
      for (const shared of ['node_modules', 'openapi', 'package.json']) symlinkSync(join(PROJECT_ROOT, shared), join(root, shared));
      mkdirSync(join(root, 'seeds'));
      writeFileSync(join(root, 'seeds', 'broken.json'), JSON.stringify({ topics: [{ name: 'x' }], events: [{ topic: 'x', eventType: 'A' }] }));
      const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
        cwd: root,
        env: { ...process.env, HUB_SEED: 'true', PORT: '0', HOST: '127.0.0.1', ...freshDatabaseEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(code).toBe(1);
      expect(out).toContain('tmf688-hub failed to start: Seed file seeds/broken.json: events[0].eventId: must be a non-empty string');
      expect(out).not.toContain('tmf688-hub listening');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('npm run seed', () => {
  if (MONGODB_URL) {
    it('should load the seeds into a fresh MongoDB database, and create nothing when run again', async () => {
      await sharedMongoClient(); // so that the test database is dropped afterwards
      const env = { ...process.env, ...freshDatabaseEnv(), LOG_LEVEL: 'warn' };
      const counts = (kind: 'topics' | 'hubs' | 'events') => SEEDS.reduce((n, s) => n + s[kind].length, 0);

      const first = await runNpmSeed(env);
      expect(first).toMatchObject({ code: 0 });
      for (const kind of ['topics', 'hubs', 'events'] as const) expect(first.stdout).toContain(`${kind}: ${counts(kind)} created, 0 existing`);

      const second = await runNpmSeed(env);
      expect(second).toMatchObject({ code: 0 });
      for (const kind of ['topics', 'hubs', 'events'] as const) expect(second.stdout).toContain(`${kind}: 0 created, ${counts(kind)} existing`);
    });
  } else {
    it('should exit non-zero without MONGODB_URL, telling the user to use HUB_SEED=true or set MONGODB_URL', async () => {
      const { MONGODB_URL: _unset, ...env } = process.env;
      const { code, stdout, stderr } = await runNpmSeed(env);
      expect(code).not.toBe(0);
      expect(stdout).not.toContain('created');
      expect(stderr).toContain('tmf688-hub seed: MONGODB_URL is not set.');
      expect(stderr).toContain('Start the hub with HUB_SEED=true');
      expect(stderr).toContain('or set MONGODB_URL');
    });
  }
});

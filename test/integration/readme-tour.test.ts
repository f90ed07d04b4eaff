import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { splitMarkdown } from '../helpers/markdown';
import { pollUntil } from '../helpers/poll';
import { CLI_JS, startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv } from '../helpers/test-stores';

/**
 * The README's five-minute tour is pasted by new users against `npm start`: it is run here as
 * written (bash and curl), against the built hub on a free port instead of 8080, and every call it
 * makes must succeed.
 */
const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const TOUR_HEADING = '## A five-minute tour';

/** The first sh block after the tour's heading. */
function tourScript(): string {
  const headingLine = README.split('\n').indexOf(TOUR_HEADING) + 1;
  const block = splitMarkdown(README).code.find((code) => code.info === 'sh' && code.line > headingLine);
  if (headingLine === 0 || !block) throw new Error(`README.md has no sh block under "${TOUR_HEADING}"`);
  return block.text;
}

/** Runs a bash script; resolves with its exit code and output (never rejects on a non-zero exit). */
function runBash(script: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the README five-minute tour', () => {
  const script = tourScript();

  it('should be written for npm start on port 8080, and only need curl', () => {
    expect(script).toContain('http://localhost:8080/tmf-api/event/v4');
    const commands = script
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .flatMap((line) => [...line.matchAll(/(?:^|\$\(|;|&&)\s*([a-z][\w-]*)\s/g)].map((m) => m[1]));
    expect(new Set(commands)).toEqual(new Set(['curl', 'sleep']));
  });

  it('should run as pasted: every call succeeds, the events reach the inbox, the stream replays', async () => {
    let hub: HubProcess | undefined;
    const headers = mkdtempSync(join(tmpdir(), 'tour-'));
    try {
      hub = await startHubProcess(freshDatabaseEnv(), 20_000, CLI_JS);
      const local = script.replace(/(localhost|127\.0\.0\.1):8080/g, `127.0.0.1:${hub.port}`);
      // Every curl call dumps its response headers to a file of its own, named in call order.
      const prelude = 'set -e -o pipefail\ncurl() { command curl -D "$TOUR_HEADERS/$(date +%s%N).txt" "$@"; }\n';
      const run = await runBash(prelude + local, { TOUR_HEADERS: headers }, 30_000);

      // The tour ends on the live stream, which stays open until curl's --max-time (exit code 28).
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 28, stderr: '' });
      const calls = local.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n').match(/\bcurl\s/g) ?? [];
      const statuses = readdirSync(headers)
        .sort()
        .map((file) => /^HTTP\/[\d.]+ (\d{3})/.exec(readFileSync(join(headers, file), 'utf8'))?.[1]);
      expect(statuses).toHaveLength(calls.length);
      for (const status of statuses) expect(['200', '201']).toContain(status);
      expect(run.stdout).not.toContain('"@type":"Error"');
      // The stream resumed after the first event: it replayed the second.
      expect(run.stdout).toMatch(/\nid: \S+\ndata: \{.*"state":"completed"/);

      const api = `${hub.baseUrl}/tmf-api/event/v4`;
      type Entry = { notification: { event: { productOrder: { state: string } } }; headers: Record<string, string> };
      const inbox = await pollUntil(
        async () => {
          const entries = (await (await fetch(`${api}/inbox/tour`)).json()) as Entry[];
          return entries.length >= 2 ? entries : undefined;
        },
        10_000,
        'both tour events in the inbox',
      );
      expect(inbox.map((entry) => entry.notification.event.productOrder.state).sort()).toEqual(['acknowledged', 'completed']);
      for (const entry of inbox) expect(entry.headers['webhook-id']).toEqual(expect.any(String));
    } finally {
      rmSync(headers, { recursive: true, force: true });
      if (hub) {
        hub.child.kill('SIGTERM');
        await hub.exited;
      }
    }
  }, 60_000);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubProcess } from '../helpers/start-hub-process';
import { pollUntil } from '../helpers/poll';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startHubProcess (test helper)', () => {
  it('should stop a process that does not start listening in time, not leave it running', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'never-listens-')), 'never-listens.js');
    writeFileSync(script, 'console.log(JSON.stringify({ pid: process.pid })); setInterval(() => undefined, 1000);\n');
    const failure = await startHubProcess({}, 1000, script).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failure?.message).toMatch(/hub did not start within 1000 ms/);
    const pid = Number(/"pid":(\d+)/.exec(failure!.message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await pollUntil(async () => (alive(pid) ? undefined : true), 5000, 'the process to be stopped', 20);
  });
});

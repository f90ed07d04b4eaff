import { Deadline, Deadlines } from '../../src/delivery/deadlines';

describe('request deadlines', () => {
  it('should abort, once, exactly the deadlines that have passed when swept', () => {
    let now = 1000;
    const deadlines = new Deadlines(() => now);
    const early = deadlines.start(100);
    const late = deadlines.start(500);
    const fired: string[] = [];
    early.once('abort', () => fired.push('early'));
    late.once('abort', () => fired.push('late'));
    now = 1099;
    deadlines.sweep();
    expect(fired).toEqual([]);
    now = 1100;
    deadlines.sweep();
    deadlines.sweep();
    expect(fired).toEqual(['early']);
    expect([early.aborted, late.aborted]).toEqual([true, false]);
    deadlines.end(late);
    now = 9999;
    deadlines.sweep();
    expect(fired).toEqual(['early']);
    deadlines.stop();
  });

  it('should not call a listener that was removed', () => {
    const deadline = new Deadline(0);
    const calls: number[] = [];
    const first = () => calls.push(1);
    deadline.on('abort', first);
    deadline.once('abort', () => calls.push(2));
    deadline.removeListener('abort', first);
    deadline.abort();
    deadline.abort();
    expect(calls).toEqual([2]);
  });

  it('should sweep with a timer only while a deadline is live', async () => {
    const deadlines = new Deadlines();
    const deadline = deadlines.start(20);
    const aborted = new Promise<void>((resolve) => deadline.once('abort', resolve));
    await aborted;
    expect(deadline.aborted).toBe(true);
    expect((deadlines as unknown as { timer: unknown }).timer).toBeUndefined();
  });
});

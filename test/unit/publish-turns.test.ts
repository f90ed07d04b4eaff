import { PublishTurns } from '../../src/hub/publish-turns';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PublishTurns', () => {
  it('should start at most perTurn publishes per turn while busy, the rest in later turns, in order', async () => {
    const turns = new PublishTurns(2, () => true);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = turns.enter();
      if (wait === undefined) started.push(i);
      else void wait.then(() => started.push(i));
    }
    expect(started).toEqual([0, 1]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('should hold nothing while not busy', () => {
    const turns = new PublishTurns(1, () => false);
    for (let i = 0; i < 10; i++) expect(turns.enter()).toBeUndefined();
  });

  it('should release every waiting publish at once when the worker stops being busy', async () => {
    let busy = true;
    const turns = new PublishTurns(1, () => busy);
    expect(turns.enter()).toBeUndefined();
    const waiting = [turns.enter(), turns.enter(), turns.enter()];
    expect(waiting.every((w) => w instanceof Promise)).toBe(true);
    busy = false;
    await nextTurn();
    const settled = await Promise.race([Promise.all(waiting).then(() => 'all started'), nextTurn().then(() => 'still waiting')]);
    expect(settled).toBe('all started');
  });

  it('should keep a new publish behind those already waiting', async () => {
    const turns = new PublishTurns(1, () => true);
    turns.enter();
    const order: string[] = [];
    void turns.enter()!.then(() => order.push('first waiter'));
    await nextTurn();
    // A fresh turn has room, but the publish that waited longer went first.
    const late = turns.enter();
    if (late) void late.then(() => order.push('late'));
    else order.push('late');
    await nextTurn();
    expect(order).toEqual(['first waiter', 'late']);
  });
});

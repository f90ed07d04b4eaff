import { settledInOrder } from '../../src/hub/settled-in-order';

/** A promise settling after `ms`: with the value, or failing with Error(`fail`) when `fail` is given. */
const after = (ms: number, value: string, fail?: string): Promise<string> =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(fail)) : resolve(value)), ms));

describe('settledInOrder (independent calls together, refused in a fixed order)', () => {
  it('should answer every value in the order given, plain values too', async () => {
    await expect(settledInOrder([after(20, 'a'), 'b', after(1, 'c')])).resolves.toEqual(['a', 'b', 'c']);
  });

  it.each<[string, Array<[number, string | undefined]>, string]>([
    ['the first given fails last in time', [[30, 'first'], [1, 'second']], 'first'],
    ['only the second fails', [[5, undefined], [1, 'second']], 'second'],
    ['the first given fails first in time', [[1, 'first'], [30, 'second']], 'first'],
  ])('should throw the failure of the first given when %s', async (_, calls, expected) => {
    await expect(settledInOrder(calls.map(([ms, fail], i) => after(ms, `v${i}`, fail)))).rejects.toThrow(expected);
  });

  it('should wait for every call before throwing, so none runs on unobserved', async () => {
    let slowDone = false;
    const slow = after(30, 'slow').then((v) => ((slowDone = true), v));
    await expect(settledInOrder([after(1, 'x', 'fast failure'), slow])).rejects.toThrow('fast failure');
    expect(slowDone).toBe(true);
  });
});

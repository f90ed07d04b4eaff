import { StringPool } from '../../src/text/string-pool';

/** A copy of `text` built anew (as a store read gives). JavaScript cannot tell string instances apart, so the pool's size tells what it holds. */
const copyOf = (text: string): string => JSON.parse(JSON.stringify(text));

describe('StringPool', () => {
  it('should hold one entry per distinct text, however many copies it is given, and give back equal text', () => {
    const pool = new StringPool();
    for (let i = 0; i < 5; i++) expect(pool.get(copyOf('https://listener.example/orders'))).toBe('https://listener.example/orders');
    expect(pool.size).toBe(1);
    expect(pool.get('other')).toBe('other');
    expect(pool.size).toBe(2);
  });

  it('should start over past its size, keeping every value equal', () => {
    const pool = new StringPool(3);
    const sizes = ['a', 'b', 'c', 'd', 'e'].map((text) => (expect(pool.get(text)).toBe(text), pool.size));
    expect(sizes).toEqual([1, 2, 3, 1, 2]);
  });
});

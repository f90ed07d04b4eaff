import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * The chart's README documents every value of its values.yaml, and no value that is not there: each
 * leaf of values.yaml has a row of its own or one of an object above it (`resources`), and each row
 * names a value that exists.
 */

const CHART = join(PROJECT_ROOT, 'deploy', 'helm', 'tmf688-hub');

/** The dotted paths of a values tree's leaves; an empty object or a list is a leaf. Pure. */
export function leafPaths(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix + key;
    const isTree = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
    return isTree ? leafPaths(value as Record<string, unknown>, `${path}.`) : [path];
  });
}

describe('leafPaths', () => {
  it.each([
    [{ a: 1, b: { c: '', d: { e: [] } }, f: {} }, ['a', 'b.c', 'b.d.e', 'f']],
    [{}, []],
  ])('of %j is %j', (tree, paths) => {
    expect(leafPaths(tree)).toEqual(paths);
  });
});

describe('deploy/helm/tmf688-hub/README.md', () => {
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
  const leaves = leafPaths(values);

  it('has a row for every value (or an object holding it)', () => {
    const undocumented = leaves.filter((leaf) => !rows.some((row) => leaf === row || leaf.startsWith(`${row}.`)));
    expect(undocumented).toEqual([]);
  });

  it('documents only values that exist', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !leaves.some((leaf) => leaf === row || leaf.startsWith(`${row}.`)))).toEqual([]);
  });
});

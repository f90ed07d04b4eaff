import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

describe('README', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

  it.each(CONFIG_VARIABLES.map((v) => [v.name, v.shownDefault]))(
    'should document %s with its default in the configuration table',
    (name, fallback) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${fallback} |`);
    },
  );

  it('should document no variable that the configuration does not read', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(CONFIG_VARIABLES.map((v) => v.name).sort());
  });
});

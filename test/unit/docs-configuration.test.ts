import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

/** The configuration table users read (docs/operations.md, "Configuration"), held to src/config. */
describe('the configuration table (docs/operations.md)', () => {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'operations.md'), 'utf8');

  it.each(CONFIG_VARIABLES.map((v) => [v.name, v.shownDefault]))(
    'should document %s with its default in the configuration table',
    (name, fallback) => {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${fallback} |`);
    },
  );

  it('should document no variable that the configuration does not read', () => {
    const documented = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(CONFIG_VARIABLES.map((v) => v.name).sort());
  });

  it('should be the only configuration table: the README links to it instead of copying it', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/^\| `[A-Z][A-Z0-9_]*` \|/m);
    expect(readme).toContain('](docs/operations.md#configuration)');
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * A clone of the repository, with nothing beside it, must install, build and pass its tests. So no
 * file we write may reach outside the repository: not the reference folder some machines keep
 * beside it, not a parent directory. The official TM Forum files the project needs are kept inside
 * (seeds/schemas/, openapi/; seeds/README.md and openapi/README.md name their sources).
 */

/** What is scanned: every top-level entry we write. */
const SCANNED = ['src', 'test', 'bench', '.ci', 'docs', 'openapi', 'asyncapi', 'seeds', 'README.md', 'CHANGELOG.md', 'package.json', 'tsconfig.json', 'docker-compose.yml', 'Dockerfile', 'deploy'];
/** Installed, built or fetched, never written by us. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'target', '.git', 'coverage']);
/** TM Forum's files, kept unmodified, and this file, which spells out the patterns it looks for. */
const THIRD_PARTY = /^(seeds\/schemas\/|openapi\/TMF688-Event-v4\.0\.0\.swagger\.json$)/;
const THIS_FILE = 'test/unit/self-contained.test.ts';

const UP_TO_SHARED = /\.\.[\\/]+shared\b|['"`]\.\.['"`]\s*,\s*['"`]shared['"`]|\bshared[\\/]specs\b/;
/** The project root, then a step up: `join(PROJECT_ROOT, '..')`, `resolve(PROJECT_ROOT, '../x')`. */
const ABOVE_ROOT = /\bPROJECT_ROOT\s*,\s*['"`]\.\.(?:[\\/][^'"`]*)?['"`]/;
/** `__dirname` (or `import.meta.dirname`) followed by path literals, as in `join(__dirname, '..', '..')`. */
const FROM_DIRNAME = /(?:__dirname|import\.meta\.dirname)((?:\s*,\s*['"`][^'"`]*['"`])+)/g;
/** A shell script's own folder, then steps up: `$(dirname "$0")/..`. */
const FROM_SCRIPT_DIR = /\$\(dirname "?\$0"?\)((?:\/\.\.)+)/g;
/** A relative path that starts by going up: quoted or a word of a command (code), a link target (Markdown). */
const PATH_UP = /(?:^|[\s'"`=:(,])((?:\.\.\/)+[^'"`\s),;]*)/g;
const LINK_UP = /\]\(((?:\.\.\/)+[^)\s#]*)/g;

/** Whether a path, relative to the repository root, leaves it. */
const leavesRoot = (path: string): boolean => {
  const normal = posix.normalize(path);
  return normal === '..' || normal.startsWith('../');
};

/**
 * Why one line of a repository file reaches outside the repository, or null when it does not.
 * `file` is the file's path relative to the root (`/`-separated): relative paths resolve from its
 * folder. Pure, so it is table-tested below.
 */
export function outsideReference(file: string, line: string): string | null {
  const folder = posix.dirname(file);
  if (UP_TO_SHARED.test(line)) return 'reads the reference folder beside the repository';
  if (ABOVE_ROOT.test(line)) return 'goes above PROJECT_ROOT';
  for (const [, literals] of line.matchAll(FROM_DIRNAME)) {
    const parts = [...literals.matchAll(/['"`]([^'"`]*)['"`]/g)].map((m) => m[1]);
    if (leavesRoot(posix.join(folder, ...parts))) return `goes above the repository from ${file}'s folder`;
  }
  for (const [, ups] of line.matchAll(FROM_SCRIPT_DIR)) {
    if (leavesRoot(posix.join(folder, ups.slice(1)))) return `goes above the repository from ${file}'s folder`;
  }
  // In Markdown, code blocks run from wherever the reader is: only links resolve from the file.
  const relatives = file.endsWith('.md') ? LINK_UP : PATH_UP;
  for (const [, target] of line.matchAll(relatives)) {
    if (leavesRoot(posix.join(folder, target))) return `${target} resolves outside the repository`;
  }
  return null;
}

function filesUnder(entry: string): string[] {
  const full = join(PROJECT_ROOT, entry);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return []; // an entry this checkout does not have yet (e.g. docs before it is written)
  }
  if (!stat.isDirectory()) return [entry];
  return readdirSync(full)
    .filter((name) => !SKIPPED_DIRS.has(name))
    .flatMap((name) => filesUnder(posix.join(entry, name)));
}

function scannedFiles(): string[] {
  return SCANNED.flatMap(filesUnder)
    .map((file) => relative(PROJECT_ROOT, join(PROJECT_ROOT, file)).split('\\').join('/'))
    .filter((file) => file !== THIS_FILE && !THIRD_PARTY.test(file));
}

/** The folder beside the checkout that the project once read, spelled so that this file does not name it. */
const SIBLING = ['sh', 'ared'].join('');

describe('outsideReference', () => {
  it.each([
    ['test/helpers/tmf-specs.ts', `export const RELATED = join(PROJECT_ROOT, '..', '${SIBLING}', 'specs', 'related');`],
    ['test/helpers/x.ts', "readFileSync(join(PROJECT_ROOT, '..', 'notes.md'))"],
    ['test/helpers/x.ts', "const dir = resolve(PROJECT_ROOT, '../elsewhere');"],
    ['openapi/build.mjs', `// Usage: node openapi/build.mjs ../${SIBLING}/specs/TMF688.json`],
    ['README.md', 'The files are in shared/specs/related.'],
    ['test/unit/x.test.ts', "const root = join(__dirname, '..', '..', '..');"],
    ['src/paths.ts', "export const ROOT = join(__dirname, '../..');"],
    ['.ci/run', 'cd "$(dirname "$0")/../.."'],
    ['test/unit/x.test.ts', "import { y } from '../../../outside/y';"],
    ['bench/run.mjs', "const spec = new URL('../../x.json', import.meta.url);"],
    ['package.json', '"pretest": "node ../prepare.js",'],
    ['README.md', 'See [the notes](../notes/common.md).'],
    ['docs/api.md', 'See [the notes](../../notes/common.md#a).'],
  ])('should catch, in %s: %s', (file, line) => {
    expect(outsideReference(file, line)).not.toBeNull();
  });

  it.each([
    ['src/paths.ts', "export const PROJECT_ROOT = join(__dirname, '..');"],
    ['test/helpers/x.ts', "const root = join(__dirname, '..', '..');"],
    ['test/helpers/tmf-specs.ts', "export const OFFICIAL_SPECS = join(PROJECT_ROOT, 'seeds', 'schemas');"],
    ['.ci/run', 'cd "$(dirname "$0")/.."'],
    ['test/unit/x.test.ts', "import { PROJECT_ROOT } from '../../src/paths';"],
    ['src/seed/read-seeds.ts', "if (isAbsolute(path) || path.startsWith('..')) throw new Problem('outside');"],
    ['src/kafka/topic-name.ts', "if (name === '.' || name === '..') return 'not a name';"],
    ['docs/api.md', 'See [the README](../README.md#quick-start) and [seeds](../seeds/README.md).'],
    ['docs/development.md', 'cd ../.. && MONGODB_URL=mongodb://127.0.0.1:27117 npm test'],
    ['src/hub/fan-out.ts', '// Worked out for the first hub that asks for CloudEvents, then shared.'],
  ])('should let pass, in %s: %s', (file, line) => {
    expect(outsideReference(file, line)).toBeNull();
  });
});

describe('the repository is self-contained', () => {
  const files = scannedFiles();

  it('should scan the files that could reach out: sources, tests, bench, CI, docs and package.json', () => {
    for (const file of ['src/paths.ts', 'test/helpers/tmf-specs.ts', 'bench/run.mjs', '.ci/run', 'README.md', 'package.json', 'openapi/build-from-swagger.mjs']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  it('should have no file that reads anything outside the repository', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(PROJECT_ROOT, file));
      if (text.includes(0)) continue; // binary
      text
        .toString('utf8')
        .split('\n')
        .forEach((line, index) => {
          const why = outsideReference(file, line);
          if (why) found.push(`${file}:${index + 1}: ${why}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});

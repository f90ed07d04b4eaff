import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_TABLE } from '../../src/config/config-table';
import { ASYNCAPI_FILE, CONSOLE_DIR, OPENAPI_FILE, PROJECT_ROOT } from '../../src/paths';
import { SEEDS_DIR } from '../../src/seed/read-seeds';

/**
 * The Dockerfile, checked STATICALLY: no container engine runs on the CI machines, so the image is
 * never built here. What can be read from the file is held to the repository: the files it copies
 * exist, the image gets every file the hub reads at run time and no dev dependency, it runs as a
 * non-root user on the port the chart probes.
 */

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). Pure. */
export function dockerStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const joined = text.replace(/\\\n/g, ' ');
  for (const line of joined.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') stages.push([]);
    if (!stages.length) throw new Error(`${instruction.keyword} before the first FROM`);
    stages[stages.length - 1].push(instruction);
  }
  return stages;
}

/** A COPY's sources and destination, and the stage it copies from (undefined: the build context). Pure. */
export function copyOf(args: string): { from?: string; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

/**
 * Where a COPY from the build context puts `file` (relative to the context), relative to WORKDIR;
 * undefined when it does not copy it. A source folder's contents land in the destination; a
 * destination ending in / receives the source by its name. Pure.
 */
export function imagePath(copy: { sources: string[]; destination: string }, file: string): string | undefined {
  for (const source of copy.sources) {
    if (file !== source && !file.startsWith(`${source}/`)) continue;
    const target = copy.destination.endsWith('/') ? posix.join(copy.destination, posix.basename(source)) : copy.destination;
    return posix.normalize(posix.join(target, file.slice(source.length)));
  }
  return undefined;
}

describe('dockerStages, copyOf and imagePath', () => {
  it.each([
    [{ sources: ['src'], destination: './src' }, 'src/console/static', 'src/console/static'],
    [{ sources: ['openapi/a.json'], destination: './openapi/' }, 'openapi/a.json', 'openapi/a.json'],
    [{ sources: ['package.json', 'package-lock.json'], destination: './' }, 'package.json', 'package.json'],
    [{ sources: ['seeds'], destination: './data' }, 'seeds/x.json', 'data/x.json'],
    [{ sources: ['seeds'], destination: './seeds' }, 'seedsx/y.json', undefined],
    [{ sources: ['openapi/a.json'], destination: './openapi/' }, 'openapi/b.json', undefined],
  ])('imagePath(%j, %s) is %s', (copy, file, path) => {
    expect(imagePath(copy, file)).toBe(path);
  });

  it.each([
    ['FROM a AS b\nRUN x \\\n  y\n# c\nFROM d\nUSER n', [[{ keyword: 'FROM', args: 'a AS b' }, { keyword: 'RUN', args: 'x    y' }], [{ keyword: 'FROM', args: 'd' }, { keyword: 'USER', args: 'n' }]]],
    ['from a\ncopy x y', [[{ keyword: 'FROM', args: 'a' }, { keyword: 'COPY', args: 'x y' }]]],
  ])('splits %j into stages', (text, stages) => {
    expect(dockerStages(text)).toEqual(stages);
  });

  it('refuses an instruction before the first FROM', () => {
    expect(() => dockerStages('RUN x\nFROM a')).toThrow('RUN before the first FROM');
  });

  it.each([
    ['src ./src', { from: undefined, sources: ['src'], destination: './src' }],
    ['--from=build /app/dist ./dist', { from: 'build', sources: ['/app/dist'], destination: './dist' }],
    ['package.json package-lock.json ./', { from: undefined, sources: ['package.json', 'package-lock.json'], destination: './' }],
  ])('reads COPY %s', (args, copy) => {
    expect(copyOf(args)).toEqual(copy);
  });
});

describe('Dockerfile (static checks: the image is not built here)', () => {
  const stages = dockerStages(readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
  const image = stages[stages.length - 1];
  const of = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword);
  const imageCopies = of(image, 'COPY').map((i) => copyOf(i.args));

  it('has a build stage and an image stage', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0][0].args).toMatch(/ AS build$/);
    expect(image[0].args).toMatch(/^node:20/);
  });

  it('copies only files that exist in the repository', () => {
    const sources = stages.flatMap((stage) => of(stage, 'COPY').map((i) => copyOf(i.args))).filter((c) => !c.from).flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(join(PROJECT_ROOT, source)))).toEqual([]);
  });

  it('installs no dev dependency and runs no install script in the image', () => {
    const installs = of(image, 'RUN').filter((i) => /\bnpm (ci|install|i)\b/.test(i.args));
    expect(installs).toHaveLength(1);
    expect(installs[0].args).toMatch(/npm ci --omit=dev --ignore-scripts/);
    // node_modules is the image's own, never the build stage's (which holds the dev dependencies).
    expect(imageCopies.filter((c) => c.from && c.sources.some((s) => s.includes('node_modules')))).toEqual([]);
    expect(imageCopies.filter((c) => c.from)).toEqual([{ from: 'build', sources: ['/app/dist'], destination: './dist' }]);
  });

  it.each([
    ['the OpenAPI contract', OPENAPI_FILE],
    ['the AsyncAPI document', ASYNCAPI_FILE],
    ["the console's files", CONSOLE_DIR],
    ['the seeds', SEEDS_DIR],
    ['package.json (the version --version prints)', join(PROJECT_ROOT, 'package.json')],
  ])('puts %s where the hub reads it', (_what, path) => {
    const wanted = relative(PROJECT_ROOT, path);
    const landed = imageCopies.filter((c) => !c.from).map((c) => imagePath(c, wanted)).filter(Boolean);
    expect({ wanted, landed }).toEqual({ wanted, landed: [wanted] });
  });

  it('runs the built CLI as the non-root user node, after every RUN', () => {
    expect(of(image, 'WORKDIR').map((i) => i.args)).toEqual(['/app']);
    const userAt = image.findIndex((i) => i.keyword === 'USER');
    expect(image[userAt].args).toBe('node');
    expect(image.slice(userAt).filter((i) => i.keyword === 'RUN' || i.keyword === 'USER')).toHaveLength(1);
    const { bin } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(of(image, 'CMD').map((i) => JSON.parse(i.args))).toEqual([['node', bin['tmf688-hub']]]);
  });

  it("exposes the hub's default port, the one the chart listens and probes on", () => {
    const values = parse(readFileSync(join(PROJECT_ROOT, 'deploy/helm/tmf688-hub/values.yaml'), 'utf8')) as { port: number };
    expect(of(image, 'EXPOSE').map((i) => Number(i.args))).toEqual([CONFIG_TABLE.port.fallback]);
    expect(values.port).toBe(CONFIG_TABLE.port.fallback);
  });

  it('is what docker-compose.yml builds the hub from', () => {
    const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: { hub: { build: unknown } } };
    expect(compose.services.hub.build).toBe('.');
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { githubSlug, headingAnchors, markdownFiles, relativeLinks } from '../helpers/markdown';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

/** Why a link of `from` is broken, or null. Anchors are checked in Markdown targets only. */
function brokenLink(from: string, link: { path: string; anchor: string }): string | null {
  const target = link.path === '' ? from : posix.normalize(posix.join(posix.dirname(from), link.path));
  if (target.startsWith('../')) return 'leaves the repository';
  if (!existsSync(join(PROJECT_ROOT, target))) return `${target} does not exist`;
  if (link.anchor && target.endsWith('.md') && !headingAnchors(read(target)).has(link.anchor)) {
    return `${target} has no heading #${link.anchor}`;
  }
  return null;
}

describe('githubSlug', () => {
  it.each([
    ['Quick start', 'quick-start'],
    ['Behaviour (TMF630)', 'behaviour-tmf630'],
    ['Notifications: how delivery works', 'notifications-how-delivery-works'],
    ['Several cores: `HUB_PROCESSES`', 'several-cores-hub_processes'],
    ['Live event stream (Server-Sent Events)', 'live-event-stream-server-sent-events'],
    ['Official TM Forum documents (`schemas/`)', 'official-tm-forum-documents-schemas'],
    ['Success, retries and dead deliveries', 'success-retries-and-dead-deliveries'],
    ['A [linked](x.md) **bold** heading', 'a-linked-bold-heading'],
    ['2026-12-01 evening: cheaper delivery attempts', '2026-12-01-evening-cheaper-delivery-attempts'],
  ])('should make %s into #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe('headingAnchors', () => {
  it('should number repeated headings and ignore # lines inside code blocks', () => {
    const anchors = headingAnchors('# Title\n## Performance\n```sh\n# a comment\n```\n### Performance\n');
    expect([...anchors]).toEqual(['title', 'performance', 'performance-1']);
  });
});

describe('relativeLinks', () => {
  it.each([
    ['See [api](docs/api.md).', [{ path: 'docs/api.md', anchor: '' }]],
    ['See [errors](api.md#errors) and [above](#quick-start).', [{ path: 'api.md', anchor: 'errors' }, { path: '', anchor: 'quick-start' }]],
    ['External [spec](https://github.com/cloudevents/spec) and [mail](mailto:a@b.c).', []],
    ['In code: `[not a link](nowhere.md)`.', []],
  ])('should find in %j the links %j', (line, expected) => {
    expect(relativeLinks(line).map(({ path, anchor }) => ({ path, anchor }))).toEqual(expected);
  });

  it('should not read links inside fenced code blocks', () => {
    expect(relativeLinks('```md\n[x](missing.md)\n```\n[y](here.md)')).toEqual([{ line: 4, target: 'here.md', path: 'here.md', anchor: '' }]);
  });
});

describe('brokenLink', () => {
  it.each([
    ['docs/api.md', { path: 'nope.md', anchor: '' }, 'docs/nope.md does not exist'],
    ['README.md', { path: 'docs/api.md', anchor: 'no-such-heading' }, 'docs/api.md has no heading #no-such-heading'],
    ['docs/api.md', { path: '../../outside.md', anchor: '' }, 'leaves the repository'],
  ])('should refuse, from %s, %j', (from, link, why) => {
    expect(brokenLink(from, link)).toBe(why);
  });

  it.each([
    ['docs/api.md', { path: '../README.md', anchor: 'quick-start' }],
    ['README.md', { path: 'docs/operations.md', anchor: 'configuration' }],
    ['docs/api.md', { path: '', anchor: 'errors' }],
    ['docs/api.md', { path: '../openapi/README.md', anchor: '' }],
  ])('should accept, from %s, %j', (from, link) => {
    expect(brokenLink(from, link)).toBeNull();
  });
});

describe('the documentation', () => {
  const files = markdownFiles();

  it('should include the README, the CHANGELOG and the docs pages', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/README.md', 'docs/api.md', 'docs/operations.md']));
  });

  it('should have no broken relative link or anchor in any Markdown file', () => {
    const broken = files.flatMap((file) =>
      relativeLinks(read(file)).flatMap((link) => {
        const why = brokenLink(file, link);
        return why ? [`${file}:${link.line}: (${link.target}) ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('should keep the README a front door: under 400 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(400);
  });

  it('should link every docs page from the README and from docs/README.md', () => {
    const pages = readdirSync(join(PROJECT_ROOT, 'docs')).filter((name) => name.endsWith('.md') && name !== 'README.md');
    expect(pages.length).toBeGreaterThan(0);
    const fromReadme = relativeLinks(read('README.md')).map((link) => link.path);
    const fromIndex = relativeLinks(read('docs/README.md')).map((link) => link.path);
    for (const page of pages) {
      expect(fromReadme).toContain(`docs/${page}`);
      expect(fromIndex).toContain(page);
    }
  });
});

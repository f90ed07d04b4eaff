import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/** One line of a Markdown file outside its fenced code blocks, with its 1-based number. */
export interface ProseLine {
  number: number;
  text: string;
}

/** A fenced code block: its info string (`sh`, `json`, ...) and its lines. */
export interface CodeBlock {
  info: string;
  /** The line number of the opening fence. */
  line: number;
  text: string;
}

const FENCE = /^\s*(```+|~~~+)\s*([^`\s]*)/;

/** Splits Markdown into prose lines and fenced code blocks, as a renderer would see them. */
export function splitMarkdown(markdown: string): { prose: ProseLine[]; code: CodeBlock[] } {
  const prose: ProseLine[] = [];
  const code: CodeBlock[] = [];
  let open: { fence: string; info: string; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (open) {
      if (fence && fence[1].startsWith(open.fence) && text.trim() === fence[1]) {
        code.push({ info: open.info, line: open.line, text: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(text);
      }
    } else if (fence) {
      open = { fence: fence[1], info: fence[2], line: index + 1, lines: [] };
    } else {
      prose.push({ number: index + 1, text });
    }
  });
  return { prose, code };
}

/** The text of a line with its inline code spans blanked out (links inside them are not links). */
const withoutCodeSpans = (text: string): string => text.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));

/**
 * The anchor GitHub gives a heading: the rendered text lower-cased, every character that is not a
 * letter, digit, `_`, `-` or space dropped, spaces made `-`. Markdown markup (code spans, emphasis,
 * links) renders as its text first.
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*|__/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown file's headings give, with GitHub's -1, -2 ... for repeated ones. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of splitMarkdown(markdown).prose) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = githubSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A link to a file of the repository: `path` (maybe empty: the same file) and `anchor` (maybe empty). */
export interface RelativeLink {
  line: number;
  target: string;
  path: string;
  anchor: string;
}

/** The inline links `[text](target)` of the prose that point inside the repository (no scheme, not absolute). */
export function relativeLinks(markdown: string): RelativeLink[] {
  const links: RelativeLink[] = [];
  for (const { number, text } of splitMarkdown(markdown).prose) {
    for (const match of withoutCodeSpans(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) continue;
      const hash = target.indexOf('#');
      links.push({
        line: number,
        target,
        path: hash < 0 ? target : target.slice(0, hash),
        anchor: hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1)),
      });
    }
  }
  return links;
}

/** The Markdown files of the repository we write (not installed or vendored ones), relative to the root. */
export function markdownFiles(): string[] {
  const skipped = new Set(['node_modules', 'dist', 'target', '.git', 'coverage']);
  const walk = (dir: string): string[] =>
    readdirSync(join(PROJECT_ROOT, dir))
      .filter((name) => !skipped.has(name))
      .flatMap((name) => {
        const path = dir ? posix.join(dir, name) : name;
        if (statSync(join(PROJECT_ROOT, path)).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [path] : [];
      });
  return walk('').sort();
}

/** An API path a page names, as written (placeholders kept), with the method when one is named. */
export interface ApiPathReference {
  line: number;
  method?: string;
  /** Below the API root (`/topic/{id}`), or from the server root when it is no API path (`/health`). */
  path: string;
}

const ROOT = /\/tmf-api\/(?:event|eventManagement)\/v4(?=\/|\b)/;
/** `GET /topic/{topicId}` in a code span or a table cell. */
const METHOD_AND_PATH = /`(GET|POST|PUT|PATCH|DELETE|OPTIONS) (\/[^`\s]*)/g;
/** A URL or path through one of the API roots, e.g. in curl examples. */
const THROUGH_ROOT = /\/tmf-api\/(?:event|eventManagement)\/v4(\/[^\s'"`)\]]*)/g;
/** `$B/topic/...`, the examples' name for the API root. */
const FROM_B = /\$B(\/[^\s'"`)\]]*)/g;

/** `/listener/topic{Create,Change,Delete}Event` stands for three paths. */
export function expandAlternatives(path: string): string[] {
  const match = /\{([^{}]*,[^{}]*)\}/.exec(path);
  if (!match) return [path];
  return match[1].split(',').flatMap((choice) => expandAlternatives(path.replace(match[0], choice)));
}

/** The path part: without query, fragment or the punctuation that ends a sentence. */
const pathPart = (raw: string): string => raw.replace(/[?#].*$/, '').replace(/[.,;:]+$/, '');

/** Every API path a Markdown text names, line by line. Pure, so it is table-tested. */
export function apiPathReferences(markdown: string): ApiPathReference[] {
  const found: ApiPathReference[] = [];
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1;
    const add = (raw: string, method?: string) => {
      if (raw.includes('...')) return; // elided: `$B/topic/...` names no path
      for (const path of expandAlternatives(pathPart(raw))) found.push({ line, ...(method ? { method } : {}), path });
    };
    for (const [, method, raw] of text.matchAll(METHOD_AND_PATH)) {
      add(ROOT.test(raw) ? raw.replace(ROOT, '') : raw, method);
    }
    const withoutMethodSpans = text.replace(METHOD_AND_PATH, '');
    for (const [, raw] of withoutMethodSpans.matchAll(THROUGH_ROOT)) add(raw);
    for (const [, raw] of withoutMethodSpans.matchAll(FROM_B)) add(raw);
  });
  return found.filter((ref) => ref.path !== '' && ref.path !== '/');
}

/** A path segment that stands for a value: `{id}`, `<id>`, `$TOPIC`, `${topic}`. */
const isPlaceholder = (segment: string): boolean => /^\{[^}]*\}$|^<[^>]*>$|\$/.test(segment);

/**
 * Whether a documented path is the contract's path `template` (`/topic/{topicId}/hub/{id}`): the
 * same literal segments, and a placeholder or any value where the template has a parameter.
 */
export function matchesTemplate(path: string, template: string): boolean {
  const written = path.split('/');
  const wanted = template.split('/');
  if (written.length !== wanted.length) return false;
  return wanted.every((segment, i) => {
    if (written[i] === '*') return true; // `GET /listener/*`: any of them
    const parameter = /^\{[^}]+\}$/.test(segment);
    if (isPlaceholder(written[i])) return parameter;
    return parameter ? written[i] !== '' : written[i] === segment;
  });
}

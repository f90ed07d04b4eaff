import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  contentType: string;
  body: Buffer;
}

/**
 * A fixed set of files by name, listed when created and read on first use. Only names in the list
 * are ever served, so no request path can reach outside it (no traversal to guard against).
 */
export class StaticFiles {
  private readonly paths = new Map<string, string>();
  private readonly cache = new Map<string, StaticFile>();

  /** The regular files of a folder (not its subfolders), or the given names in it. */
  constructor(dir: string, names?: readonly string[]) {
    let listed: string[] = [];
    try {
      listed = names ? [...names] : readdirSync(dir);
    } catch {
      // A missing folder serves nothing: each request then gets a 404.
    }
    for (const name of listed) {
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isFile() && CONTENT_TYPES[extname(name)]) this.paths.set(name, path);
    }
  }

  get(name: string): StaticFile | undefined {
    const path = this.paths.get(name);
    if (!path) return undefined;
    let file = this.cache.get(name);
    if (!file) {
      file = { contentType: CONTENT_TYPES[extname(name)], body: readFileSync(path) };
      this.cache.set(name, file);
    }
    return file;
  }
}

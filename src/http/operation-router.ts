import type { Operation } from 'openapi-backend';

/** What routing a request came to: the operation and its decoded path parameters, or why none. */
export type RouteMatch =
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  | { kind: 'notFound' }
  /** The path exists, the method does not: `allowed` lists the methods it has. */
  | { kind: 'methodNotAllowed'; allowed: string[] };

interface Route {
  pattern: RegExp;
  names: string[];
  /** Static characters of the template: the more, the more specific (/topic/{id}/event/stream beats /topic/{id}/event/{id}). */
  specificity: number;
  byMethod: Map<string, Operation>;
}

/**
 * Routes a request to its operation once, from the contract's operation list (read when the app is
 * built): the dispatcher reads the body, validates and calls the handler with this one match.
 * Matching is a scan of the compiled path templates, most specific first; a template segment
 * matches one non-empty path segment, as in openapi-backend's own router.
 */
export class OperationRouter {
  /** The routes by the number of `/` in their template, each list most specific first: a template segment matches one path segment, so only routes of the path's count can match. */
  private readonly routesBySlashes = new Map<number, Route[]>();

  constructor(operations: readonly Operation[]) {
    const byPath = new Map<string, Route>();
    for (const operation of operations) {
      let route = byPath.get(operation.path);
      if (!route) {
        const names: string[] = [];
        const source = operation.path
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(name);
            return '([^/]+)';
          })
          .join('');
        route = { pattern: new RegExp(`^${source}/?$`), names, specificity: operation.path.replace(/\{[^}]+\}/g, '').length, byMethod: new Map() };
        byPath.set(operation.path, route);
      }
      route.byMethod.set(operation.method.toUpperCase(), operation);
    }
    for (const [path, route] of [...byPath].sort(([, a], [, b]) => b.specificity - a.specificity)) {
      const slashes = slashCount(path);
      this.routesBySlashes.set(slashes, [...(this.routesBySlashes.get(slashes) ?? []), route]);
    }
  }

  /** `path` is relative to the API root and still percent-encoded; parameters come back decoded. */
  match(method: string, path: string): RouteMatch {
    let allowed: string[] | undefined;
    // A trailing slash is allowed (the patterns end in /?) and does not count.
    const slashes = slashCount(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
    for (const route of this.routesBySlashes.get(slashes) ?? []) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      const operation = route.byMethod.get(method.toUpperCase());
      if (operation) {
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1])));
        return { kind: 'operation', operation, params };
      }
      allowed ??= [...route.byMethod.keys()];
    }
    return allowed ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
  }
}

function slashCount(path: string): number {
  let count = 0;
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) count++;
  return count;
}

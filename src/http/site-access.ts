import type { Middleware } from 'koa';
import type { AccessGate } from './access-gate';
import { API_ROOTS } from './api-roots';

/** Open whatever the access settings: probes must work without credentials, and the console's files hold no data (the console then sends a credential). */
const ALWAYS_OPEN = [/^\/health$/, /^\/ready$/, /^\/console(\/|$)/];
/** The documents: open unless HUB_PUBLIC_DOCS=false. */
const DOCUMENTS = [/^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/asyncapi\.json$/];

const isApiPath = (path: string) => API_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));

/**
 * Access to everything outside the API roots (whose front door checks its own): /metrics, the
 * documents when they are not public, and any other path (whose 404 then says nothing to a stranger)
 * need a principal with topic:read, which every role holds. The principal is left in ctx.state.
 */
export function siteAccess(gate: AccessGate, options: { publicDocs: boolean }): Middleware {
  const open = options.publicDocs ? [...ALWAYS_OPEN, ...DOCUMENTS] : ALWAYS_OPEN;
  return async function requireCredential(ctx, next) {
    if (gate.open || isApiPath(ctx.path) || open.some((pattern) => pattern.test(ctx.path))) return next();
    const where = { operation: `${ctx.method} ${ctx.path}`, resource: ctx.path };
    const principal = await gate.principal({ authorization: ctx.get('Authorization') || undefined, socket: ctx.req.socket }, where);
    gate.permit(principal, 'topic:read', where);
    ctx.state.principal = principal;
    return next();
  };
}

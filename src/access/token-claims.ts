import { ROLES, type Principal, type Role } from './principal';
import type { ClientEntry } from './clients-file';

/** The claims of a verified access token this hub reads (Keycloak's shape). */
export interface TokenClaims {
  azp?: unknown;
  client_id?: unknown;
  sub?: unknown;
  scope?: unknown;
  realm_access?: unknown;
  resource_access?: unknown;
}

const MAX_NAME = 200;

const stringsIn = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const rolesOf = (holder: unknown): string[] => (typeof holder === 'object' && holder !== null ? stringsIn((holder as { roles?: unknown }).roles) : []);

/**
 * The hub roles a token carries: the union of realm_access.roles,
 * resource_access.<clientId>.roles and the space-separated `scope`, keeping only the role names
 * (a realm has many other roles and scopes). In ROLES order, each once.
 */
export function tokenRoles(claims: TokenClaims, clientId: string): Role[] {
  const resource = typeof claims.resource_access === 'object' && claims.resource_access !== null ? (claims.resource_access as Record<string, unknown>) : {};
  const found = new Set<string>([
    ...rolesOf(claims.realm_access),
    ...(Object.prototype.hasOwnProperty.call(resource, clientId) ? rolesOf(resource[clientId]) : []),
    ...(typeof claims.scope === 'string' ? claims.scope.split(' ') : []),
  ]);
  return ROLES.filter((role) => found.has(role));
}

/** The client a token was issued to: azp, else client_id, else sub. */
const clientOf = (claims: TokenClaims): string | undefined =>
  [claims.azp, claims.client_id, claims.sub].find((v): v is string => typeof v === 'string' && v !== '' && v.length <= MAX_NAME);

/**
 * The principal of a verified token. A token whose azp is a clients-file entry's oidcClientId is
 * that entry (its name, topics and quota; roles from both); any other is `oidc:<azp>` with the
 * token's roles and every topic (the "oidc:" prefix, which entry names cannot have, keeps an
 * identity provider's client from ever owning a file client's hubs). A string is the refusal.
 */
export function tokenPrincipal(claims: TokenClaims, clientId: string, entryOf: (azp: string) => ClientEntry | undefined): Principal | string {
  const client = clientOf(claims);
  if (client === undefined) return 'The token names no client (azp, client_id or sub)';
  const roles = tokenRoles(claims, clientId);
  const entry = typeof claims.azp === 'string' ? entryOf(claims.azp) : undefined;
  if (!entry) return { name: `oidc:${client}`, roles, quota: {}, authenticatedBy: 'token' };
  return {
    name: entry.name,
    roles: ROLES.filter((role) => roles.includes(role) || entry.roles.includes(role)),
    ...(entry.topics && { topics: entry.topics }),
    quota: entry.quota,
    authenticatedBy: 'token',
  };
}

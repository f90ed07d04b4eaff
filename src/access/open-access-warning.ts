import { isIP } from 'node:net';

/** Whether HOST only listens on this machine: the loopback addresses and names. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
}

/**
 * The one warning an open hub (no credential source configured) logs at start when it listens
 * beyond this machine: anyone who reaches it may do everything. Undefined when it is not open or
 * listens on loopback only (the mock use on a laptop).
 */
export function openAccessWarning(host: string, open: boolean): string | undefined {
  if (!open || isLoopbackHost(host)) return undefined;
  return (
    `Access control is off: none of HUB_CLIENTS_FILE, HUB_API_KEYS, HUB_OIDC_ISSUER and HUB_TLS_CLIENT_CA is set, and the hub listens on ${host}, ` +
    'so anyone who reaches it may do everything (topics, every hub, inboxes). Set one of them, or HOST=127.0.0.1 for a local mock'
  );
}

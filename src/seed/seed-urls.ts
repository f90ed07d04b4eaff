import { isIPv6 } from 'node:net';
import type { Config } from '../config';
import { API_ROOTS } from '../http/api-dispatcher';
import type { SeedUrls } from './load-seeds';


/**
 * Where seeded hubs deliver and what hrefs say: HUB_PUBLIC_URL when set, else the hub's own
 * listening address on loopback (a wildcard HOST is reached on 127.0.0.1).
 */
export function seedUrls(config: Pick<Config, 'publicUrl' | 'host'>, port: number): SeedUrls {
  const hubUrl = config.publicUrl ?? `http://${loopbackHost(config.host)}:${port}`;
  return { hubUrl, baseUrl: `${hubUrl}${API_ROOTS[0]}` };
}

function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return isIPv6(host) ? `[${host}]` : host;
}

import type { Config } from '../config';
import { API_ROOTS } from '../http/api-roots';
import { hubOrigin } from '../http/hub-base-url';
import type { SeedUrls } from './load-seeds';

/**
 * Where seeded hubs deliver and what hrefs say: the hub's own origin by the one rule of hubOrigin
 * (HUB_PUBLIC_URL when set, else where it listens), except that a wildcard HOST is reached on
 * 127.0.0.1 rather than localhost: seeded callbacks must connect, and localhost may resolve to ::1
 * where an IPv4 wildcard does not listen.
 */
export function seedUrls(config: Pick<Config, 'publicUrl' | 'host' | 'tlsCert'>, port: number): SeedUrls {
  const host = config.host === '0.0.0.0' || config.host === '::' || config.host === '' ? '127.0.0.1' : config.host;
  const hubUrl = hubOrigin(config.publicUrl, { listening: { host, port, secure: Boolean(config.tlsCert) } });
  return { hubUrl, baseUrl: `${hubUrl}${API_ROOTS[0]}` };
}

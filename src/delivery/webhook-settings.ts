import type { Config } from '../config';
import { CallbackGuard, type CallbackGuardOptions } from './callback-guard';
import { WebhookClient } from './webhook-client';

/** What an HTTP delivery client is built from: the callback guard's settings and the pool's size per origin. */
export interface WebhookSettings {
  guard: CallbackGuardOptions;
  connectionsPerOrigin: number;
}

/**
 * The hub's settings for its webhook clients. As many connections to one origin as attempts may be
 * in flight: many hubs on one listener service otherwise queue behind 16 sockets (measured:
 * deliveries during full-speed ingest went up about 2.5x).
 */
export function webhookSettings(config: Pick<Config, 'callbackPolicy' | 'callbackAllow' | 'deliveryConcurrency'>): WebhookSettings {
  return { guard: { policy: config.callbackPolicy, allow: config.callbackAllow }, connectionsPerOrigin: config.deliveryConcurrency };
}

/** A webhook client and its guard, built the same way in the hub's thread and in the delivery thread. */
export function webhookClientFor(settings: WebhookSettings): { guard: CallbackGuard; client: WebhookClient } {
  const guard = new CallbackGuard(settings.guard);
  return { guard, client: new WebhookClient({ guard, connectionsPerOrigin: settings.connectionsPerOrigin }) };
}

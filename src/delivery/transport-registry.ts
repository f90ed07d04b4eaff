import { brokerKind, type BrokerKind } from '../config/brokers';
import type { DeliveryTransport, TransportAttempt } from './delivery-transport';
import type { WebhookResult } from './webhook-client';

/** The scheme of a callback, lower case, without the colon; '' when it has none. */
export function callbackScheme(url: string): string {
  const colon = url.indexOf(':');
  return colon > 0 ? url.slice(0, colon).toLowerCase() : '';
}

/**
 * Maps a callback's scheme to its transport. Fan-out asks it which callbacks are broker
 * destinations, hub creation asks why a callback is refused, the delivery worker sends through it.
 * A scheme no transport serves is refused by the fallback (HTTP, which says what a callback must
 * be), or, for a broker this hub knows but has not configured, with the variable that would turn it on.
 */
export class TransportRegistry {
  private readonly byScheme = new Map<string, DeliveryTransport>();

  constructor(
    private readonly fallback: DeliveryTransport,
    others: readonly DeliveryTransport[] = [],
  ) {
    for (const transport of [fallback, ...others]) {
      for (const scheme of transport.schemes) {
        if (this.byScheme.has(scheme)) throw new Error(`two delivery transports serve the ${scheme}: scheme`);
        this.byScheme.set(scheme, transport);
      }
    }
  }

  /** Whether the callback names a broker destination, configured here or not. */
  isBroker(url: string): boolean {
    // HTTP callbacks are nearly all of them: answered without a lookup (fan-out asks per hub and event).
    if (url.startsWith('http')) return false;
    const scheme = callbackScheme(url);
    const transport = this.byScheme.get(scheme);
    return transport ? transport.broker : brokerKind(scheme) !== undefined;
  }

  async creationRefusal(url: string): Promise<string | undefined> {
    const scheme = callbackScheme(url);
    const transport = this.byScheme.get(scheme);
    if (transport) return transport.creationRefusal(url);
    const broker = brokerKind(scheme);
    if (broker) return `a ${broker.key}: callback needs ${broker.name}, which is not configured on this hub (${broker.variable})`;
    return this.fallback.creationRefusal(url);
  }

  send(attempt: TransportAttempt): Promise<WebhookResult> {
    const url = attempt.delivery.url;
    const transport = url.startsWith('http') ? this.fallback : this.byScheme.get(callbackScheme(url));
    if (transport) return transport.send(attempt);
    const broker = brokerKind(callbackScheme(url));
    return Promise.resolve({ error: broker ? notConfigured(broker) : `no transport delivers to ${JSON.stringify(callbackScheme(url))}: callbacks`, durationMs: 0 });
  }
}

/** A delivery to a broker the hub no longer has configured (it was when the hub was created). */
const notConfigured = (broker: BrokerKind): string => `${broker.name} is not configured (${broker.variable})`;

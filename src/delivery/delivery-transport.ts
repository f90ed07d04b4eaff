import type { ListenerCredentials } from '../credentials/listener-credentials';
import type { Delivery } from '../store/delivery-types';
import type { WebhookResult } from './webhook-client';

/** One attempt as a transport sends it: the delivery, and the body and headers the attempt built. */
export interface TransportAttempt {
  delivery: Delivery;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** What the hub's listener requires of each request, read with the hub for this attempt (HTTP only). */
  credentials?: ListenerCredentials;
}

/**
 * How deliveries reach one kind of callback, named by its URL scheme: HTTP(S) listeners, or a
 * broker destination (`kafka:<topic>`). The TransportRegistry picks one per callback.
 */
export interface DeliveryTransport {
  /** The schemes served, lower case, without the colon: `['http', 'https']`, `['kafka']`. */
  readonly schemes: readonly string[];
  /**
   * A broker takes records, not requests: its callbacks get no /listener suffix, and carry the
   * CloudEvents attributes as headers (binary mode) unless the hub asks for a `format`.
   */
  readonly broker: boolean;
  /** Why the callback may not be used, checked when a hub is created; undefined when it may. */
  creationRefusal(url: string): Promise<string | undefined> | string | undefined;
  /** One attempt. Never throws: a failure comes back as `error`. */
  send(attempt: TransportAttempt): Promise<WebhookResult>;
}

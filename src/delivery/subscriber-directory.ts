import type { ListenerCredentials } from '../credentials/listener-credentials';
import type { Delivery } from '../store/delivery-types';
import type { RateLimit } from './rate-limiter';

/** The hub a delivery is for. */
export type DeliveryHub = Pick<Delivery, 'hubKind' | 'topicId' | 'hubId'>;

/** What an attempt needs to know of its hub, read when the attempt is made. */
export interface Subscription {
  /** Signing secrets, newest first; none means unsigned. */
  secrets: readonly string[];
  /** The hub's own limit on attempts per second, if it has one. */
  rateLimit?: RateLimit;
  /** What the listener requires of each request (auth, client certificate, headers); absent for most hubs. */
  credentials?: ListenerCredentials;
}

/**
 * What the delivery worker asks of the hubs it delivers to. The domain implements it (src/hub) and
 * the composition root hands it over, so the worker reads secrets where they live, never from a
 * delivery record.
 */
export interface SubscriberDirectory {
  /** The hub's delivery settings now; undefined when the hub no longer exists. */
  subscription(hub: DeliveryHub): Promise<Subscription | undefined>;
  /** The listener answered 410 Gone: its hub is unregistered. */
  unregister(hub: DeliveryHub): Promise<void>;
}

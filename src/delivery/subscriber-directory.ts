import type { Delivery } from '../store/delivery-types';

/** The hub a delivery is for. */
export type DeliveryHub = Pick<Delivery, 'hubKind' | 'topicId' | 'hubId'>;

/**
 * What the delivery worker asks of the hubs it delivers to. The domain implements it (src/hub) and
 * the composition root hands it over, so the worker reads secrets where they live, never from a
 * delivery record.
 */
export interface SubscriberDirectory {
  /** The hub's signing secrets, newest first ([] when it signs nothing); undefined when the hub no longer exists. */
  signingSecrets(hub: DeliveryHub): Promise<readonly string[] | undefined>;
  /** The listener answered 410 Gone: its hub is unregistered. */
  unregister(hub: DeliveryHub): Promise<void>;
}

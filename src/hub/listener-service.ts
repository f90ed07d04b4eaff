import { TOP_LEVEL, type Resource, type Stores } from '../store/store-types';
import { NotFoundError } from '../errors';
import { newResource } from './new-resource';
import { validateSubscription, type SubscriptionChecks } from './validate-subscription';
import { rotateStoredSecret, withoutSecret, type SecretRotationPolicy } from './subscriber-secret';

export const LISTENER_TYPE = 'EventSubscription';

/** Registrations made through POST /hub: listeners of the API's own Topic notifications. */
export class ListenerService {
  constructor(
    private readonly stores: Pick<Stores, 'listeners' | 'deliveries'>,
    private readonly checks: SubscriptionChecks,
    private readonly rotation: SecretRotationPolicy,
  ) {}

  /** `origin`: see HubService.create. */
  async register(input: Record<string, unknown>, origin: string): Promise<Resource> {
    const granted = await validateSubscription(input, this.checks, origin);
    const listener = newResource({ ...input, ...granted }, LISTENER_TYPE);
    await this.stores.listeners.insert(TOP_LEVEL, listener);
    return withoutSecret(listener);
  }

  async get(id: string, fields?: readonly string[]): Promise<Resource> {
    const listener = await this.stores.listeners.get(TOP_LEVEL, id, fields);
    if (!listener) throw new NotFoundError(`Listener registration ${id} does not exist`);
    return withoutSecret(listener);
  }

  /** Sets a new signing secret; the previous one keeps signing for the rotation grace. */
  async rotateSecret(id: string, secret: string): Promise<Resource> {
    const listener = await rotateStoredSecret(this.stores.listeners, TOP_LEVEL, id, secret, this.rotation);
    if (!listener) throw new NotFoundError(`Listener registration ${id} does not exist`);
    return listener;
  }

  async unregister(id: string): Promise<void> {
    if (!(await this.remove(id))) throw new NotFoundError(`Listener registration ${id} does not exist`);
  }

  /** Removes a registration and its deliveries; false when it was already gone. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.stores.listeners.delete(TOP_LEVEL, id);
    await this.stores.deliveries.deleteByHub(id);
    return removed;
  }
}

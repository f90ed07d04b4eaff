import type { Principal } from '../access/principal';
import { TOP_LEVEL, type Resource, type Stores } from '../store/store-types';
import { ForbiddenError, NotFoundError } from '../errors';
import { asAsked, fieldsToJudge, ownedInput, sees } from './hub-ownership';
import type { HubQuota } from './hub-quota';
import { newResource } from './new-resource';
import { isScoped } from './topic-access';
import { validateSubscription, type SubscriptionChecks } from './validate-subscription';
import { replaceStoredCredentials } from './replace-credentials';
import { credentialsOf, rotateStoredSecret, withoutSecret, type SecretRotationPolicy } from './subscriber-secret';

export const LISTENER_TYPE = 'EventSubscription';

/**
 * Registrations made through POST /hub: listeners of the API's own Topic notifications. Owned like
 * topic hubs (see HubService); since a registration hears of every topic, a principal scoped to
 * some topics may not make one.
 */
export class ListenerService {
  constructor(
    private readonly stores: Pick<Stores, 'listeners' | 'deliveries'>,
    private readonly checks: SubscriptionChecks,
    private readonly rotation: SecretRotationPolicy,
    private readonly quota: HubQuota,
  ) {}

  /** `origin`: see HubService.create. The actor becomes its owner. */
  async register(input: Record<string, unknown>, origin: string, actor?: Principal): Promise<Resource> {
    if (actor && isScoped(actor)) {
      throw new ForbiddenError(
        `The client ${actor.name} lacks the permission hub:manage on every topic: a POST /hub registration hears of every topic, and the client's topic scopes cover only some`,
      );
    }
    await this.quota.assertRoom(actor);
    const attributes = await validateSubscription(input, this.checks, origin);
    const listener = newResource(ownedInput(attributes, actor), LISTENER_TYPE);
    await this.stores.listeners.insert(TOP_LEVEL, listener);
    this.checks.credentialsChanged?.(listener.id, credentialsOf(listener));
    return withoutSecret(listener);
  }

  async get(id: string, fields?: readonly string[], actor?: Principal): Promise<Resource> {
    const listener = await this.stores.listeners.get(TOP_LEVEL, id, fieldsToJudge(actor, fields));
    if (!listener || !sees(actor, listener)) throw this.notFound(id);
    return withoutSecret(asAsked(listener, fields));
  }

  /** Sets a new signing secret; the previous one keeps signing for the rotation grace. */
  async rotateSecret(id: string, secret: string, actor?: Principal): Promise<Resource> {
    const listener = await rotateStoredSecret(this.stores.listeners, TOP_LEVEL, id, secret, this.rotation, actor);
    if (!listener) throw this.notFound(id);
    return listener;
  }

  /** Replaces the credentials the listener requires (auth, tls, headers): the next attempt carries them. */
  async replaceCredentials(id: string, input: Record<string, unknown>, actor?: Principal): Promise<Resource> {
    const listener = await replaceStoredCredentials(this.stores.listeners, TOP_LEVEL, id, input, this.checks, actor);
    if (!listener) throw this.notFound(id);
    return listener;
  }

  async unregister(id: string, actor?: Principal): Promise<void> {
    await this.get(id, ['id'], actor);
    if (!(await this.remove(id))) throw this.notFound(id);
  }

  /** Removes a registration and its deliveries; false when it was already gone. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.stores.listeners.delete(TOP_LEVEL, id);
    await this.stores.deliveries.deleteByHub(id);
    this.checks.credentialsChanged?.(id, undefined);
    return removed;
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError(`Listener registration ${id} does not exist`);
  }
}

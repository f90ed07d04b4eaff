import type { Principal } from '../access/principal';
import { ForbiddenError } from '../errors';
import type { Stores } from '../store/store-types';
import { OWNER_ATTRIBUTE } from './hub-ownership';

/**
 * The `hubs` quota of a principal: the topic hubs and POST /hub registrations it owns, counted in
 * the store (so every process sees the same count). Checked before a new one is made; two creations
 * racing may pass it together, by at most the number in flight.
 */
export class HubQuota {
  constructor(private readonly stores: Pick<Stores, 'hubs' | 'listeners'>) {}

  /** Throws the 403 `Quota exceeded` when `actor` already owns its quota of hubs. */
  async assertRoom(actor: Principal | undefined): Promise<void> {
    const max = actor?.quota.hubs;
    if (max === undefined) return;
    const mine = [{ path: [OWNER_ATTRIBUTE], op: 'eq' as const, values: [actor!.name] }];
    const owned = (await this.stores.hubs.countAll(mine)) + (await this.stores.listeners.countAll(mine));
    if (owned >= max) {
      throw new ForbiddenError(`The client ${actor!.name} owns ${owned} hubs (topic hubs and POST /hub registrations), its quota of ${max}: delete one first`, 'Quota exceeded');
    }
  }
}

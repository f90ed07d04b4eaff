import type { Principal } from '../../src/access/principal';
import { ForbiddenError } from '../../src/errors';
import { HubQuota } from '../../src/hub/hub-quota';
import { TOP_LEVEL } from '../../src/store/store-types';
import { memoryStores } from '../helpers/test-stores';

const client = (hubs: number | undefined, roles: Principal['roles'] = ['subscriber']): Principal => ({
  name: 'billing',
  roles,
  quota: hubs === undefined ? {} : { hubs },
  authenticatedBy: 'key',
});

describe('HubQuota', () => {
  const stores = memoryStores();
  const quota = new HubQuota(stores);

  beforeAll(async () => {
    // Two of billing's (a topic hub and a registration), one of another client, one without an owner.
    await stores.hubs.insert('t1', { id: 'h1', owner: 'billing' });
    await stores.listeners.insert(TOP_LEVEL, { id: 'l1', owner: 'billing' });
    await stores.hubs.insert('t2', { id: 'h2', owner: 'assurance' });
    await stores.hubs.insert('t2', { id: 'h3' });
  });

  it.each<[string, Principal | undefined, boolean]>([
    ['no actor (the hub itself)', undefined, true],
    ['a client without a hubs quota', client(undefined), true],
    ['a client below its quota', client(3), true],
    ['a client at its quota (topic hubs and registrations together)', client(2), false],
    ['a client with a quota of 0', client(0), false],
    ['an admin at its quota: a quota binds admins too', client(2, ['admin']), false],
  ])('should judge %s', async (_case, actor, room) => {
    const check = quota.assertRoom(actor);
    if (room) await expect(check).resolves.toBeUndefined();
    else await expect(check).rejects.toThrow(expect.objectContaining({ status: 403, reason: 'Quota exceeded' }));
  });

  it('should say how many the client owns and its quota', async () => {
    const err = await quota.assertRoom(client(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as Error).message).toBe('The client billing owns 2 hubs (topic hubs and POST /hub registrations), its quota of 2: delete one first');
  });
});

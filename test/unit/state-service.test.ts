import { StateService } from '../../src/hub/state-service';
import { TOP_LEVEL } from '../../src/store/store-types';
import { memoryStores } from '../helpers/test-stores';

describe('StateService.deleteKeptBefore (HUB_EVENT_RETENTION for latest states)', () => {
  it('should delete the states of keepState topics last changed before the cutoff, and no poll source state', async () => {
    const stores = memoryStores();
    await stores.topics.insert(TOP_LEVEL, { id: 'kept', name: 'kept', keepState: true });
    await stores.topics.insert(TOP_LEVEL, { id: 'polled', name: 'polled', source: { poll: 'http://api/list' } });
    await stores.topics.insert(TOP_LEVEL, { id: 'plain', name: 'plain' });
    for (const topic of ['kept', 'polled', 'plain']) {
      await stores.states.insert(topic, { id: 'old' }, 100);
      await stores.states.insert(topic, { id: 'new' }, 300);
    }
    const service = new StateService(stores, { assertExists: async () => undefined });
    expect(await service.deleteKeptBefore(200, 1000)).toBe(1);
    const left = async (topic: string) => (await stores.states.list(topic, { filter: [], offset: 0, limit: 10 })).items.map((s) => s.id);
    expect(await left('kept')).toEqual(['new']);
    expect(await left('polled')).toEqual(['old', 'new']);
    expect(await left('plain')).toEqual(['old', 'new']);
  });

  it('should delete at most `limit` at a time', async () => {
    const stores = memoryStores();
    await stores.topics.insert(TOP_LEVEL, { id: 'kept', name: 'kept', keepState: true });
    for (let i = 0; i < 5; i += 1) await stores.states.insert('kept', { id: `s${i}` }, 100);
    const service = new StateService(stores, { assertExists: async () => undefined });
    expect(await service.deleteKeptBefore(200, 3)).toBe(3);
    expect(await service.deleteKeptBefore(200, 3)).toBe(2);
  });
});

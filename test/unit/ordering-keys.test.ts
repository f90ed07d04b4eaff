import type { Delivery } from '../../src/store/delivery-types';
import { OrderingKeys } from '../../src/store/memory/ordering-keys';

const record = (id: string, sequence: number | undefined, status: Delivery['status'] = 'pending', hubId = 'h'): Delivery => ({
  id, hubKind: 'topic', hubId, topicId: 't', eventId: id, eventResourceId: id, url: 'http://x', payload: '{}', orderingKey: 'k',
  sequence, status, failures: 0, attempts: [], nextAttemptAt: 0, createdAt: '2024-01-01T00:00:00.000Z',
});

/** Records of one key, joined in the order given (a finished one as if it finished after joining); `leased` ids are marked leased. */
function keyOf(records: Delivery[], leased: string[] = []): { keys: OrderingKeys; byId: Map<string, Delivery> } {
  const byId = new Map(records.map((d) => [d.id, d]));
  const keys = new OrderingKeys(byId);
  for (const d of records) keys.join(d);
  for (const id of leased) keys.leased(byId.get(id)!);
  return { keys, byId };
}

describe('ordering keys of the embedded outbox', () => {
  it.each<[string, Delivery[], string[], string | undefined]>([
    ['the lowest sequence, whatever the order joined', [record('s3', 3), record('s1', 1), record('s2', 2)], [], 's1'],
    ['nothing while one of the key is leased', [record('s1', 1), record('s2', 2)], ['s1'], undefined],
    ['nothing while one of the key has no sequence yet', [record('s2', 2), record('staged', undefined, 'staged')], [], undefined],
    ['nothing while the lowest is staged', [record('s1', 1, 'staged'), record('s2', 2)], [], undefined],
    ['the next once the lowest finished (its heap entry skipped)', [record('s1', 1, 'delivered'), record('s2', 2)], [], 's2'],
  ])('should make claimable %s', (_case, records, leased, expected) => {
    const { keys, byId } = keyOf(records, leased);
    const any = records[records.length - 1];
    expect(keys.nextToFile(any)?.id).toBe(expected);
    for (const d of byId.values()) expect(keys.isClaimableHead(d)).toBe(d.id === expected);
  });

  it('should hand the key on as its head finishes, is unleased or leaves', () => {
    const { keys, byId } = keyOf([record('s1', 1), record('s2', 2), record('s3', 3)], ['s1']);
    const [s1, s2, s3] = ['s1', 's2', 's3'].map((id) => byId.get(id)!);
    expect(keys.nextToFile(s1)).toBeUndefined();
    keys.unleased(s1);
    expect(keys.nextToFile(s1)).toBe(s1);
    s1.status = 'dead';
    expect(keys.nextToFile(s1)).toBe(s2);
    byId.delete('s2');
    keys.removed(s2);
    expect(keys.nextToFile(s2)).toBe(s3);
  });

  it('should free a key held by a delivery without a sequence when that one leaves', () => {
    const { keys, byId } = keyOf([record('ghost', undefined, 'staged'), record('s2', 2)]);
    const ghost = byId.get('ghost')!;
    expect(keys.nextToFile(ghost)).toBeUndefined();
    byId.delete('ghost');
    keys.removed(ghost);
    expect(keys.nextToFile(ghost)?.id).toBe('s2');
  });

  it('should keep one key of two hubs apart', () => {
    const a = record('a', 1, 'pending', 'hub-a');
    const b = record('b', 2, 'pending', 'hub-b');
    const { keys } = keyOf([a, b], ['a']);
    expect(keys.nextToFile(a)).toBeUndefined();
    expect(keys.nextToFile(b)).toBe(b);
  });

  it('should forget a key that holds nothing, and know it again when a delivery joins', () => {
    const { keys, byId } = keyOf([record('s1', 1)]);
    const s1 = byId.get('s1')!;
    s1.status = 'delivered';
    expect(keys.nextToFile(s1)).toBeUndefined();
    expect(keys.isClaimableHead(s1)).toBe(false);
    const s2 = record('s2', 2);
    byId.set('s2', s2);
    keys.join(s2);
    expect(keys.nextToFile(s2)).toBe(s2);
  });
});

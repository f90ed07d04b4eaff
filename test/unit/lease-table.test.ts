import type { Delivery } from '../../src/store/delivery-types';
import { LeaseTable } from '../../src/store/memory/lease-table';

const record = (id: string): Delivery => ({
  id, hubKind: 'topic', hubId: 'h', topicId: 't', eventId: id, eventResourceId: id, url: 'http://x', payload: '{}',
  status: 'pending', failures: 0, attempts: [], nextAttemptAt: 0, createdAt: '2024-01-01T00:00:00.000Z',
});

describe('lease table of the embedded outbox', () => {
  it('should set the lease on the record and hold it until dropped', () => {
    const leases = new LeaseTable();
    const d = record('d');
    leases.take(d, 'w', 500);
    expect(d).toMatchObject({ leaseOwner: 'w', leaseUntil: 500 });
    expect(leases.has('d')).toBe(true);
    leases.drop('d');
    expect(leases.has('d')).toBe(false);
    expect(leases.expired(10_000)).toEqual([]);
  });

  it.each<[string, number, string[]]>([
    ['before the earliest end', 299, []],
    ['at the earliest end', 300, ['early']],
    ['between the ends', 450, ['early']],
    ['past both ends', 500, ['early', 'late']],
  ])('should find the leases run out %s', (_case, now, expected) => {
    const leases = new LeaseTable();
    leases.take(record('late'), 'w', 500);
    leases.take(record('early'), 'w', 300);
    expect(leases.expired(now).map((d) => d.id).sort()).toEqual(expected);
  });

  it('should look again once the next lease can have run out, after the caller dropped the expired', () => {
    const leases = new LeaseTable();
    leases.take(record('a'), 'w', 100);
    leases.take(record('b'), 'w', 200);
    expect(leases.expired(150).map((d) => d.id)).toEqual(['a']);
    leases.drop('a');
    expect(leases.expired(199)).toEqual([]);
    expect(leases.expired(200).map((d) => d.id)).toEqual(['b']);
  });
});

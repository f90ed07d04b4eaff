import { createLogger } from '../../src/logger';
import type { Delivery } from '../../src/store/delivery-types';
import { createMemoryStores } from '../../src/store/memory/create-memory-stores';
import { InsertionQueue } from '../../src/store/memory/insertion-queue';
import { MemoryDeliveryStore } from '../../src/store/memory/memory-delivery-store';
import { MemoryResourceStore } from '../../src/store/memory/memory-resource-store';
import { ScopeOrder } from '../../src/store/memory/scope-order';
import { TOP_LEVEL } from '../../src/store/store-types';

const ALL = { filter: [], offset: 0, limit: 10_000 };

function delivery(id: string, status: Delivery['status'], finishedAt?: number): Delivery {
  return {
    id, hubKind: 'topic', hubId: 'h', topicId: 't', eventId: id, eventResourceId: id, url: 'http://x', payload: '{}',
    status, failures: 0, attempts: [], nextAttemptAt: 0, createdAt: '2024-01-01T00:00:00.000Z', ...(finishedAt !== undefined ? { finishedAt } : {}),
  };
}

describe('the embedded store\'s caps (HUB_MEMORY_MAX_EVENTS, HUB_MEMORY_MAX_DELIVERIES)', () => {
  it('should keep at most maxResources over all scopes, dropping the oldest, and say so once', async () => {
    let warnings = 0;
    const store = new MemoryResourceStore({ uniqueAttribute: 'eventId', maxResources: 3, onFirstDrop: () => warnings++ });
    for (let i = 0; i < 7; i++) await store.insert(i % 2 ? 'odd' : 'even', { id: `e${i}`, eventId: `e${i}` });
    const kept = [...(await store.list('even', ALL)).items, ...(await store.list('odd', ALL)).items].map((r) => r.id).sort();
    expect(kept).toEqual(['e4', 'e5', 'e6']);
    expect(warnings).toBe(1);
    // A dropped event's eventId is free again, as for a deleted one.
    await expect(store.findIdByUnique('even', 'e0')).resolves.toBeUndefined();
  });

  it('should drop the deliveries that finished first past maxFinished, never a pending one, and say so once', async () => {
    let warnings = 0;
    const store = new MemoryDeliveryStore({ maxFinished: 2, onFirstDrop: () => warnings++ });
    await store.insertMany([delivery('p1', 'pending'), delivery('f1', 'delivered', 1), delivery('f2', 'dead', 2), delivery('p2', 'pending')]);
    expect(warnings).toBe(0);
    await store.insertMany([delivery('f3', 'delivered', 3), delivery('f4', 'delivered', 4)]);
    const left = (await store.list('h', ALL)).items.map((d) => d.id).sort();
    expect(left).toEqual(['f3', 'f4', 'p1', 'p2']);
    expect(warnings).toBe(1);
    await expect(store.pendingStats()).resolves.toMatchObject({ count: 2 });
  });

  it('should count a redelivered delivery as pending again, and as finished once more when it finishes', async () => {
    const store = new MemoryDeliveryStore({ maxFinished: 1 });
    await store.insertMany([delivery('f1', 'delivered', 1)]);
    await store.redeliver('h', 'f1', 10);
    await store.insertMany([delivery('f2', 'dead', 2)]);
    // f1 is pending now: f2 alone is finished, within the cap.
    expect((await store.list('h', ALL)).items.map((d) => d.id).sort()).toEqual(['f1', 'f2']);
    const [claimed] = await store.claimDue({ now: 10, leaseMs: 1000, owner: 'w', limit: 1, perHubLimit: 1, inFlightByHub: new Map() });
    expect(claimed.id).toBe('f1');
    await store.complete('f1', 'w', { attempt: { number: 1, at: 'x', durationMs: 1, outcome: 'delivered' }, status: 'delivered', failures: 0, nextAttemptAt: 10, finishedAt: 11 });
    expect((await store.list('h', ALL)).items.map((d) => d.id)).toEqual(['f1']);
  });
});

describe('the embedded audit trail\'s cap (HUB_MEMORY_MAX_AUDIT_RECORDS)', () => {
  it('should keep the newest maxAuditRecords records, newest first, and warn once naming the variable', async () => {
    const warnings: string[] = [];
    const logger = { ...createLogger('silent'), warn: (msg: string) => void warnings.push(msg) };
    const stores = createMemoryStores({ maxEvents: 10, maxDeliveries: 10, maxAuditRecords: 3 }, logger);
    for (let i = 1; i <= 3; i++) await stores.audit.insert(TOP_LEVEL, { id: `a${i}` }, i);
    expect(warnings).toEqual([]);
    for (let i = 4; i <= 6; i++) await stores.audit.insert(TOP_LEVEL, { id: `a${i}` }, i);
    const page = await stores.audit.list(TOP_LEVEL, ALL);
    expect(page.items.map((r) => r.id)).toEqual(['a6', 'a5', 'a4']);
    expect(page.total).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HUB_MEMORY_MAX_AUDIT_RECORDS');
  });
});

describe('the embedded latest states\' cap (HUB_MEMORY_MAX_EVENTS)', () => {
  it('should keep at most maxEvents states over all topics, dropping the oldest written, and warn once naming the variable', async () => {
    const warnings: string[] = [];
    const logger = { ...createLogger('silent'), warn: (msg: string) => void warnings.push(msg) };
    const stores = createMemoryStores({ maxEvents: 3, maxDeliveries: 10, maxAuditRecords: 10 }, logger);
    for (let i = 1; i <= 3; i++) await stores.states.insert(i % 2 ? 't1' : 't2', { id: `r${i}`, state: 'acknowledged' }, i);
    // Updating a state in place does not count as one more.
    await stores.states.update('t1', 'r1', { state: 'inProgress' });
    expect(warnings).toEqual([]);
    await stores.states.insert('t2', { id: 'r4' }, 4);
    await stores.states.insert('t1', { id: 'r5' }, 5);
    const kept = [...(await stores.states.list('t1', ALL)).items, ...(await stores.states.list('t2', ALL)).items].map((r) => r.id).sort();
    expect(kept).toEqual(['r3', 'r4', 'r5']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HUB_MEMORY_MAX_EVENTS latest states');
    // The events' own cap is apart: states do not count against it.
    await stores.events.insert('t1', { id: 'e1', eventId: 'e1' }, 6);
    expect((await stores.events.list('t1', ALL)).total).toBe(1);
  });
});

describe('memory that does not grow with deletions', () => {
  it('should rebuild a scope\'s order once deleted ids outnumber the live ones', () => {
    const order = new ScopeOrder();
    const live = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = `i${i}`;
      order.add(id, i);
      live.add(id);
      if (live.size > 10) {
        const oldest = live.values().next().value as string;
        live.delete(oldest);
        order.removed((other) => live.has(other));
      }
    }
    expect(order.ids.length).toBeLessThan(2 * 1024 + 20);
    expect(order.ids.slice(-10)).toEqual([...live]);
    expect(order.positionOf('i9999')).toBe(order.ids.length - 1);
    expect(order.firstAtOrAfter(9995)).toBe(order.ids.indexOf('i9995'));
  });

  it('should keep the insertion queue near the live count', () => {
    const queue = new InsertionQueue();
    const live = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      queue.push({ scope: 's', id: `i${i}`, storedAt: i });
      live.add(`i${i}`);
      if (i % 2) live.delete(`i${i - 1}`);
      queue.compact(live.size, (e) => live.has(e.id));
    }
    let held = 0;
    while (queue.shift()) held++;
    expect(held).toBeLessThan(2 * live.size + 1024 + 1);
  });
});

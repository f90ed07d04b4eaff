import type { FilterClause } from '../../query/filter-clause';
import { matchesFilter } from '../../query/match-filter';
import { projectFields } from '../../query/project-fields';
import { DuplicateKeyError } from '../store-errors';
import type { ListQuery, Page, Resource, ResourceStore, ResourceStoreOptions, SequencedResource, StoredPage } from '../store-types';
import { InsertionQueue } from './insertion-queue';
import { ScopeOrder } from './scope-order';

export interface MemoryResourceStoreOptions extends ResourceStoreOptions {
  /** At most this many resources over all scopes: storing one more drops the oldest. Unset: no cap. */
  maxResources?: number;
  /** Called once, the first time the cap drops a resource (so the operator hears of it once). */
  onFirstDrop?: () => void;
}

/** The embedded store: Maps keep insertion order, and copies go in and out so callers cannot alias. */
export class MemoryResourceStore implements ResourceStore {
  private readonly scopes = new Map<string, Map<string, Resource>>();
  /** scope -> unique attribute value (as JSON) -> id: uniqueness without scanning. */
  private readonly unique = new Map<string, Map<string, string>>();
  private readonly order = new Map<string, ScopeOrder>();
  private readonly queue = new InsertionQueue();
  /** Resources held, over all scopes. */
  private size = 0;
  private dropped = false;
  /** scope -> the last sequence number handed out. */
  private readonly counters = new Map<string, number>();

  constructor(private readonly options: MemoryResourceStoreOptions = {}) {}

  async insert(scope: string, resource: Resource, storedAt = Date.now(), sequence?: number): Promise<void> {
    const items = this.scope(scope, true);
    if (items.has(resource.id)) throw new DuplicateKeyError('id', resource.id);
    const unique = this.options.uniqueAttribute;
    if (unique !== undefined && resource[unique] !== undefined) {
      let index = this.unique.get(scope);
      if (!index) this.unique.set(scope, (index = new Map()));
      const key = JSON.stringify(resource[unique]);
      if (index.has(key)) throw new DuplicateKeyError(unique, resource[unique]);
      index.set(key, resource.id);
    }
    if (!items.has(resource.id)) this.size++;
    items.set(resource.id, structuredClone(resource));
    let order = this.order.get(scope);
    if (!order) this.order.set(scope, (order = new ScopeOrder()));
    order.add(resource.id, storedAt, sequence, this.options.sequenced === true);
    this.queue.push({ scope, id: resource.id, storedAt });
    if (this.options.maxResources !== undefined && this.size > this.options.maxResources) {
      if (!this.dropped) this.options.onFirstDrop?.();
      this.dropped = true;
      await this.trimAll(this.options.maxResources);
    }
  }

  async nextSequence(scope: string): Promise<number> {
    const next = (this.counters.get(scope) ?? 0) + 1;
    this.counters.set(scope, next);
    return next;
  }

  async sequenceOf(scope: string, id: string): Promise<{ sequence?: number } | undefined> {
    const at = this.scope(scope)?.has(id) ? this.order.get(scope)?.positionOf(id) : undefined;
    if (at === undefined) return undefined;
    const sequence = this.order.get(scope)!.sequences[at];
    return sequence ? { sequence } : {};
  }

  async lastSequence(scope: string): Promise<number> {
    const order = this.order.get(scope);
    const items = this.scope(scope);
    if (!order || !items) return 0;
    if (!this.options.sequenced) return Math.max(0, ...order.sequences.filter((_, i) => items.has(order.ids[i])));
    for (let i = order.ids.length - 1; i >= 0; i--) if (items.has(order.ids[i])) return order.sequences[i];
    return 0;
  }

  async listAfterSequence(scope: string, after: number, limit: number): Promise<SequencedResource[]> {
    const order = this.order.get(scope);
    const items = this.scope(scope);
    const found: SequencedResource[] = [];
    if (!order || !items) return found;
    if (!this.options.sequenced) {
      // Only the events store keeps its order by sequence; elsewhere (never used by the hub) scan.
      const all = order.ids.map((id, i) => ({ id, sequence: order.sequences[i] })).filter((e) => e.sequence > after && items.has(e.id));
      return all.sort((x, y) => x.sequence - y.sequence).slice(0, limit).map((e) => ({ resource: structuredClone(items.get(e.id)!), sequence: e.sequence }));
    }
    for (let i = order.firstAbove(after); i < order.ids.length && found.length < limit; i++) {
      const resource = items.get(order.ids[i]);
      if (resource && order.sequences[i] > 0) found.push({ resource: structuredClone(resource), sequence: order.sequences[i] });
    }
    return found;
  }

  async listStoredBetween(scope: string, from: number, to: number, offset: number, limit: number): Promise<StoredPage> {
    const order = this.order.get(scope);
    const items = this.scope(scope);
    if (!order || !items) return { items: [], total: 0 };
    const found: StoredPage['items'] = [];
    let total = 0;
    for (let i = order.firstAtOrAfter(from); i < order.ids.length && order.storedAt[i] <= to; i++) {
      const resource = items.get(order.ids[i]);
      if (!resource) continue;
      if (total >= offset && found.length < limit) {
        const sequence = order.sequences[i];
        found.push({ resource: structuredClone(resource), storedAt: order.storedAt[i], ...(sequence ? { sequence } : {}) });
      }
      total++;
    }
    return { items: found, total };
  }

  async lastId(scope: string): Promise<string | undefined> {
    const ids = this.order.get(scope)?.ids ?? [];
    const items = this.scope(scope);
    for (let i = ids.length - 1; i >= 0; i--) if (items?.has(ids[i])) return ids[i];
    return undefined;
  }

  async findIdByUnique(scope: string, value: unknown): Promise<string | undefined> {
    return this.unique.get(scope)?.get(JSON.stringify(value));
  }

  async get(scope: string, id: string, fields?: readonly string[]): Promise<Resource | undefined> {
    const found = this.scope(scope)?.get(id);
    return found && projectFields(structuredClone(found), fields);
  }

  async list(scope: string, query: ListQuery): Promise<Page> {
    const items: Resource[] = [];
    let total = 0;
    // One pass that copies only the page, however many resources match.
    for (const resource of this.inOrder(scope)) {
      if (!matchesFilter(resource, query.filter)) continue;
      if (total >= query.offset && items.length < query.limit) items.push(projectFields(structuredClone(resource), query.fields));
      total++;
    }
    return { items, total };
  }

  async countAll(filter: readonly FilterClause[]): Promise<number> {
    let count = 0;
    for (const items of this.scopes.values()) for (const resource of items.values()) if (matchesFilter(resource, filter)) count++;
    return count;
  }

  async update(scope: string, id: string, set: Readonly<Record<string, unknown>>): Promise<Resource | undefined> {
    const found = this.scope(scope)?.get(id);
    if (!found) return undefined;
    for (const [name, value] of Object.entries(set)) {
      if (value === undefined) delete found[name];
      else found[name] = structuredClone(value);
    }
    return structuredClone(found);
  }

  async delete(scope: string, id: string): Promise<boolean> {
    const items = this.scope(scope);
    const existing = items?.get(id);
    if (!items || !existing) return false;
    const unique = this.options.uniqueAttribute;
    if (unique !== undefined && existing[unique] !== undefined) this.unique.get(scope)?.delete(JSON.stringify(existing[unique]));
    items.delete(id);
    this.size--;
    this.order.get(scope)?.removed((other) => items.has(other));
    this.queue.compact(this.size, (entry) => this.scopes.get(entry.scope)?.has(entry.id) ?? false);
    return true;
  }

  async trimScope(scope: string, keep: number): Promise<number> {
    const items = this.scope(scope);
    const excess = (items?.size ?? 0) - keep;
    if (!items || excess <= 0) return 0;
    for (const id of [...items.keys()].slice(0, excess)) await this.delete(scope, id);
    return excess;
  }

  async trimAll(keep: number): Promise<number> {
    let deleted = 0;
    while (this.size > keep) {
      const oldest = this.queue.shift();
      if (!oldest) break;
      if (await this.delete(oldest.scope, oldest.id)) deleted++;
    }
    return deleted;
  }

  async deleteStoredBefore(cutoff: number, limit: number): Promise<number> {
    let deleted = 0;
    for (let oldest = this.queue.peek(); oldest && oldest.storedAt < cutoff && deleted < limit; oldest = this.queue.peek()) {
      this.queue.shift();
      if (await this.delete(oldest.scope, oldest.id)) deleted++;
    }
    return deleted;
  }

  async deleteScope(scope: string): Promise<number> {
    const count = this.scope(scope)?.size ?? 0;
    this.scopes.delete(scope);
    this.unique.delete(scope);
    this.order.delete(scope);
    this.counters.delete(scope);
    this.size -= count;
    this.queue.compact(this.size, (entry) => this.scopes.get(entry.scope)?.has(entry.id) ?? false);
    return count;
  }

  /**
   * The scope's resources in list order: insertion order, or by sequence when some were stored out of
   * it; the other way round in a newestFirst store (the scope's order, walked from its end).
   */
  private *inOrder(scope: string): Generator<Resource> {
    const items = this.scope(scope);
    const order = this.order.get(scope);
    if (!items || !order) return;
    if (!this.options.newestFirst && !order.reordered) {
      yield* items.values();
      return;
    }
    for (const id of this.options.newestFirst ? backwards(order.ids) : order.ids) {
      const resource = items.get(id);
      if (resource) yield resource;
    }
  }

  private scope(scope: string, create: true): Map<string, Resource>;
  private scope(scope: string, create?: boolean): Map<string, Resource> | undefined;
  private scope(scope: string, create = false): Map<string, Resource> | undefined {
    let items = this.scopes.get(scope);
    if (!items && create) {
      items = new Map();
      this.scopes.set(scope, items);
    }
    return items;
  }
}

function* backwards<T>(values: readonly T[]): Generator<T> {
  for (let i = values.length - 1; i >= 0; i--) yield values[i];
}

import { MongoServerError, type Collection, type Document } from 'mongodb';
import type { FilterClause } from '../../query/filter-clause';
import { DuplicateKeyError } from '../store-errors';
import type { ListQuery, Page, Resource, ResourceStore, ResourceStoreOptions, SequencedResource, StoredPage } from '../store-types';
import { findPage } from './find-page';
import { guarded, guardedWrite } from './mongo-errors';
import { BODY, toMongoFilter, toMongoProjection } from './mongo-query';
import type { ScopeCounter } from './scope-counter';

interface StoredDocument {
  scope: string;
  id: string;
  body: Resource;
  /** When the hub accepted it (ms); absent on documents written before it was kept. */
  storedAt?: number;
  /** Its place in the scope's order (events); absent on other resources and on events stored before sequences. */
  sequence?: number;
}

/**
 * A ResourceStore on one collection. Documents are { _id, scope, id, body }: the resource sits in
 * `body` so that TMF attribute names can never collide with the store's own fields. Lists sort by
 * _id, which is insertion order within a process and creation-time order across processes; a
 * scope whose resources carry a sequence (events) sorts by it first (resources stored before
 * sequences have none, and sort before the rest); a newestFirst store (the audit trail) sorts by
 * storedAt, newest first. Sequences come from a counter document per scope
 * (a ScopeCounter), so every process publishing to a topic draws from one counter.
 */
export class MongoResourceStore implements ResourceStore {
  constructor(
    private readonly collection: Collection<StoredDocument>,
    private readonly options: ResourceStoreOptions = {},
    /** The scopes' sequence numbers (their counters are shared by the stores of one database, keyed by collection). */
    private readonly counter?: ScopeCounter,
  ) {}

  /** Creates the indexes this store relies on (idempotent). */
  async ensureIndexes(): Promise<void> {
    await guarded(async () => {
      await this.collection.createIndex({ scope: 1, id: 1 }, { unique: true, name: 'scope_id' });
      await this.collection.createIndex({ scope: 1, _id: 1 }, { name: 'scope_order' });
      await this.collection.createIndex({ scope: 1, storedAt: 1 }, { name: 'scope_stored_at', sparse: true });
      await this.collection.createIndex({ storedAt: 1 }, { name: 'stored_at', sparse: true });
      if (this.options.sequenced) await this.collection.createIndex({ scope: 1, sequence: 1, _id: 1 }, { name: 'scope_sequence' });
      if (this.options.newestFirst) await this.collection.createIndex({ scope: 1, storedAt: -1, _id: -1 }, { name: 'scope_newest' });
      for (const attribute of this.options.indexed ?? []) await this.collection.createIndex({ [`${BODY}.${attribute}`]: 1 }, { name: attribute });
      const unique = this.options.uniqueAttribute;
      if (unique) {
        await this.collection.createIndex({ scope: 1, [`${BODY}.${unique}`]: 1 }, { unique: true, name: `scope_${unique}` });
      }
    });
  }

  async insert(scope: string, resource: Resource, storedAt = Date.now(), sequence?: number): Promise<void> {
    try {
      const document: StoredDocument = { scope, id: resource.id, body: resource, storedAt };
      if (sequence !== undefined) document.sequence = sequence;
      await guardedWrite([document], () => this.collection.insertOne(document), BODY);
    } catch (err) {
      if (err instanceof MongoServerError && err.code === 11000) {
        // Which index refused it: the scope_id one (an id taken) or the unique attribute's.
        const attribute = this.options.uniqueAttribute && !/scope_id/.test(err.message) ? this.options.uniqueAttribute : 'id';
        throw new DuplicateKeyError(attribute, resource[attribute]);
      }
      throw err;
    }
  }

  async get(scope: string, id: string, fields?: readonly string[]): Promise<Resource | undefined> {
    const found = await guarded(() =>
      this.collection.findOne<{ body: Resource }>({ scope, id }, { projection: toMongoProjection(fields) }),
    );
    return found?.body;
  }

  async findIdByUnique(scope: string, value: unknown): Promise<string | undefined> {
    const unique = this.options.uniqueAttribute;
    if (!unique) return undefined;
    const found = await guarded(() => this.collection.findOne({ scope, [`${BODY}.${unique}`]: value }, { projection: { _id: 0, id: 1 } }));
    return found?.id;
  }

  async list(scope: string, query: ListQuery): Promise<Page> {
    const filter: Document = { scope };
    const clauses = toMongoFilter(query.filter);
    if (clauses.length) filter.$and = clauses;
    const { docs, total } = await findPage<{ body: Resource }>(this.collection, {
      filter,
      sort: this.order,
      offset: query.offset,
      limit: query.limit,
      projection: toMongoProjection(query.fields),
    });
    return { items: docs.map((d) => d.body), total };
  }

  async countAll(filter: readonly FilterClause[]): Promise<number> {
    const clauses = toMongoFilter(filter);
    return guarded(() => this.collection.countDocuments(clauses.length ? { $and: clauses } : {}));
  }

  async nextSequence(scope: string): Promise<number> {
    return this.counters().next(scope);
  }

  async sequenceOf(scope: string, id: string): Promise<{ sequence?: number } | undefined> {
    const found = await guarded(() => this.collection.findOne({ scope, id }, { projection: { _id: 0, sequence: 1 } }));
    if (!found) return undefined;
    return typeof found.sequence === 'number' ? { sequence: found.sequence } : {};
  }

  async lastSequence(scope: string): Promise<number> {
    const last = await guarded(() =>
      this.collection.findOne({ scope, sequence: { $exists: true } }, { sort: { sequence: -1 }, projection: { _id: 0, sequence: 1 } }),
    );
    return last?.sequence ?? 0;
  }

  async listAfterSequence(scope: string, after: number, limit: number): Promise<SequencedResource[]> {
    const docs = await guarded(() =>
      this.collection
        .find({ scope, sequence: { $gt: after } }, { projection: { _id: 0, body: 1, sequence: 1 } })
        .sort({ sequence: 1 })
        .limit(limit)
        .toArray(),
    );
    return docs.map((d) => ({ resource: d.body, sequence: d.sequence! }));
  }

  async listStoredBetween(scope: string, from: number, to: number, offset: number, limit: number): Promise<StoredPage> {
    const { docs, total } = await findPage<{ body: Resource; storedAt: number; sequence?: number }>(this.collection, {
      filter: { scope, storedAt: { $gte: from, $lte: to } },
      sort: this.options.sequenced ? { sequence: 1, storedAt: 1, _id: 1 } : { storedAt: 1, _id: 1 },
      offset,
      limit,
      projection: { _id: 0, body: 1, storedAt: 1, sequence: 1 },
    });
    return {
      items: docs.map((d) => ({ resource: d.body, storedAt: d.storedAt, ...(typeof d.sequence === 'number' ? { sequence: d.sequence } : {}) })),
      total,
    };
  }

  async lastId(scope: string): Promise<string | undefined> {
    const last = await guarded(() => this.collection.findOne({ scope }, { sort: { _id: -1 }, projection: { _id: 0, id: 1 } }));
    return last?.id;
  }

  async update(scope: string, id: string, set: Readonly<Record<string, unknown>>): Promise<Resource | undefined> {
    const fields = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined).map(([name, value]) => [`${BODY}.${name}`, value]));
    const removed = Object.fromEntries(Object.entries(set).filter(([, value]) => value === undefined).map(([name]) => [`${BODY}.${name}`, '' as const]));
    const change = { ...(Object.keys(fields).length ? { $set: fields } : {}), ...(Object.keys(removed).length ? { $unset: removed } : {}) };
    if (Object.keys(change).length === 0) return this.get(scope, id);
    const found = await guarded(() =>
      this.collection.findOneAndUpdate({ scope, id }, change, { returnDocument: 'after', projection: { _id: 0, [BODY]: 1 } }),
    );
    return (found as { body: Resource } | null)?.body;
  }

  async delete(scope: string, id: string): Promise<boolean> {
    const result = await guarded(() => this.collection.deleteOne({ scope, id }));
    return result.deletedCount === 1;
  }

  async trimScope(scope: string, keep: number): Promise<number> {
    // The newest resource that goes: everything of the scope up to it (in _id order) is deleted.
    const [boundary] = await guarded(() =>
      this.collection.find({ scope }, { projection: { _id: 1 } }).sort({ _id: -1 }).skip(keep).limit(1).toArray(),
    );
    if (!boundary) return 0;
    const result = await guarded(() => this.collection.deleteMany({ scope, _id: { $lte: boundary._id } }));
    return result.deletedCount;
  }

  async trimAll(keep: number): Promise<number> {
    const total = await guarded(() => this.collection.estimatedDocumentCount());
    if (total <= keep) return 0;
    const oldest = await guarded(() => this.collection.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(total - keep).toArray());
    return (await guarded(() => this.collection.deleteMany({ _id: { $in: oldest.map((d) => d._id) } }))).deletedCount;
  }

  async deleteStoredBefore(cutoff: number, limit: number): Promise<number> {
    const filter = { storedAt: { $lt: cutoff } };
    const oldest = await guarded(() => this.collection.find(filter, { projection: { _id: 1 } }).sort({ storedAt: 1 }).limit(limit).toArray());
    if (oldest.length === 0) return 0;
    return (await guarded(() => this.collection.deleteMany({ ...filter, _id: { $in: oldest.map((d) => d._id) } }))).deletedCount;
  }

  async deleteScope(scope: string): Promise<number> {
    const result = await guarded(() => this.collection.deleteMany({ scope }));
    if (this.options.sequenced) await this.counters().delete(scope);
    return result.deletedCount;
  }

  /**
   * List order: by sequence in a sequenced store (events); newest stored first in a newestFirst one
   * (by storedAt, which orders the writes of several processes, unlike _id within one second); else
   * insertion order.
   */
  private get order(): Record<string, 1 | -1> {
    if (this.options.newestFirst) return { storedAt: -1, _id: -1 };
    return this.options.sequenced ? { sequence: 1, _id: 1 } : { _id: 1 };
  }

  private counters(): ScopeCounter {
    if (!this.counter) throw new Error(`${this.collection.collectionName} has no sequence counters`);
    return this.counter;
  }
}

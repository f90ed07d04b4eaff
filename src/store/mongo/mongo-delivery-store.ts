import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection, type Document, type Filter } from 'mongodb';
import type { FilterClause } from '../../query/filter-clause';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryAttempt, DeliveryListQuery, DeliveryStore } from '../delivery-types';
import {
  claimableFor,
  finishedBefore,
  outcomeChange,
  postponeChange,
  RELEASE_LEASE,
  releaseStagedChange,
  REDELIVERABLE,
  redeliverChange,
  stagedBefore,
  VISIBLE,
  type DeliveryChange,
} from '../delivery-transitions';
import { findPage } from './find-page';
import { guarded, guardedWrite } from './mongo-errors';
import { toMongoFilter } from './mongo-query';

/**
 * `keyLease` (hubId + NUL + orderingKey) is set on an ordered delivery while it is leased, under a
 * unique sparse index: the database itself refuses a second lease in one key, whichever processes race.
 */
type DeliveryDocument = Omit<Delivery, 'id'> & { _id: string; claimToken?: string; keyLease?: string };

const toDelivery = ({ _id, claimToken: _token, keyLease: _key, ...rest }: DeliveryDocument): Delivery => ({ id: _id, ...rest });

/** What the heads query answers per (hubId, orderingKey): its lowest-sequence unfinished delivery, and the latest lease in the key. */
interface KeyHead {
  _id: { hubId: string; key: string };
  id: string;
  status: Delivery['status'];
  sequence?: number | null;
  nextAttemptAt: number;
  leaseUntil?: number | null;
}

/** Delivery conditions as a MongoDB filter (the delivery id is the document's _id). */
const where = (clauses: readonly FilterClause[]): Document[] =>
  toMongoFilter(clauses.map((c) => (c.path[0] === 'id' && c.path.length === 1 ? { ...c, path: ['_id'] } : c)), '');

/** A shared state change as a MongoDB update; the claim token is the lease's, so it goes with it. */
function toUpdate(change: DeliveryChange): Document {
  const update: Document = {};
  if (Object.keys(change.set).length) update.$set = change.set;
  const unset = change.unset.includes('leaseOwner') ? [...change.unset, 'claimToken', 'keyLease'] : change.unset;
  if (unset.length) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
  if (change.push) update.$push = { attempts: change.push };
  return update;
}

/** How many due candidates a claim looks at per delivery it may take (room to skip saturated hubs). */
const CANDIDATES_PER_SLOT = 4;

/**
 * The outbox on MongoDB. A claim takes a batch in three round trips: read due candidates, lease them
 * with one updateMany that re-checks "due and unleased" per document (so a delivery another worker
 * took in between is simply not ours), and read back what this claim's token won. It is atomic per
 * delivery across processes; a lease that outlives its worker (a crash) expires and the delivery is
 * due again.
 *
 * Ordered deliveries are left out of that query. A second query, run beside it, groups the unfinished
 * ordered deliveries by (hubId, orderingKey) and keeps each key's head (the lowest sequence; one
 * without a sequence yet sorts first and holds the key) when it is pending, due and nothing of its
 * key is leased. Each head is leased by its own updateOne that also sets `keyLease`; the unique index
 * on it makes a second process's lease in the same key fail (E11000), so a key is never leased twice
 * even when two processes saw different heads (a replay or redelivery inserting a lower sequence in
 * between). A stale `keyLease` left by a worker that died is cleared once its lease has run out.
 */
export class MongoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly collection: Collection<DeliveryDocument>,
    /** One document per live worker process: how many share a hub's rate limit. */
    private readonly workers: Collection<{ _id: string; seenAt: number }>,
  ) {}

  async ensureIndexes(): Promise<void> {
    await guarded(async () => {
      await this.collection.createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'due' });
      await this.collection.createIndex({ hubId: 1, createdAt: 1 }, { name: 'by_hub' });
      await this.collection.createIndex({ eventResourceId: 1 }, { name: 'by_event' });
      await this.collection.createIndex({ leaseOwner: 1 }, { name: 'by_lease_owner', sparse: true });
      await this.collection.createIndex({ finishedAt: 1 }, { name: 'by_finished', sparse: true });
      await this.collection.createIndex({ orderingKey: 1, hubId: 1, sequence: 1 }, { name: 'by_ordering_key', sparse: true });
      await this.collection.createIndex({ keyLease: 1 }, { name: 'key_lease', unique: true, sparse: true });
      // Records written before the hub stopped copying the hub's secret into them lose it.
      await this.collection.updateMany({ secret: { $exists: true } } as Filter<DeliveryDocument>, { $unset: { secret: '' } });
    });
  }

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const documents: DeliveryDocument[] = deliveries.map(({ id, ...rest }) => ({ _id: id, ...rest }));
    // Sizes are checked before any document is sent, so an oversized batch writes nothing; field
    // names cannot be refused here, since the client's JSON travels as the `payload` string.
    await guardedWrite(documents, () => this.collection.insertMany(documents));
  }

  async releaseStaged(eventResourceId: string, sequence?: number): Promise<number> {
    const result = await guarded(() =>
      this.collection.updateMany({ eventResourceId, $and: where(stagedBefore(Number.MAX_SAFE_INTEGER)) }, toUpdate(releaseStagedChange(sequence))),
    );
    return result.modifiedCount;
  }

  async listStaged(before: number, limit: number): Promise<Delivery[]> {
    const docs = await guarded(() => this.collection.find({ $and: where(stagedBefore(before)) }).limit(limit).toArray());
    return docs.map(toDelivery);
  }

  async claimDue(request: ClaimRequest): Promise<Delivery[]> {
    if (request.limit <= 0) return [];
    const perHub = new Map(request.inFlightByHub);
    const room = new Map<string, number>();
    for (const hubId of new Set([...perHub.keys(), ...(request.hubBudget?.keys() ?? [])])) {
      room.set(hubId, claimableFor(hubId, perHub.get(hubId) ?? 0, request));
    }
    const saturated = [...room].filter(([, n]) => n <= 0).map(([hubId]) => hubId);
    const claimable: Filter<DeliveryDocument> = {
      status: 'pending',
      nextAttemptAt: { $lte: request.now },
      $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: request.now } }],
    };
    const unordered: Filter<DeliveryDocument> = { ...claimable, orderingKey: { $exists: false } };
    const width = Math.min(1000, request.limit * CANDIDATES_PER_SLOT);
    const [candidates, heads] = await Promise.all([
      guarded(() =>
        this.collection
          .find(saturated.length ? { ...unordered, hubId: { $nin: saturated } } : unordered, { projection: { _id: 1, hubId: 1, nextAttemptAt: 1 } })
          .sort({ nextAttemptAt: 1 })
          .limit(width)
          .toArray(),
      ),
      this.claimableHeads(request.now, saturated, width),
    ]);
    const merged: Array<{ _id: string; hubId: string; nextAttemptAt: number; key?: string }> = heads.length
      ? [...candidates, ...heads.map((h) => ({ _id: h.id, hubId: h._id.hubId, nextAttemptAt: h.nextAttemptAt, key: h._id.key }))].sort(
          (a, b) => a.nextAttemptAt - b.nextAttemptAt,
        )
      : candidates;
    const chosen: string[] = [];
    const chosenHeads: Array<{ id: string; keyLease: string }> = [];
    for (const { _id, hubId, key } of merged) {
      if (chosen.length + chosenHeads.length >= request.limit) break;
      const left = room.get(hubId) ?? request.perHubLimit;
      if (left <= 0) continue;
      room.set(hubId, left - 1);
      if (key === undefined) chosen.push(_id);
      else chosenHeads.push({ id: _id, keyLease: `${hubId}\u0000${key}` });
    }
    if (chosen.length + chosenHeads.length === 0) return [];
    const claimToken = randomUUID();
    const lease = { leaseOwner: request.owner, leaseUntil: request.now + request.leaseMs, claimToken };
    await Promise.all([
      chosen.length ? guarded(() => this.collection.updateMany({ ...claimable, _id: { $in: chosen } }, { $set: lease })) : undefined,
      ...chosenHeads.map((head) => this.leaseHead(head.id, head.keyLease, claimable, lease, request.now)),
    ]);
    const all = chosenHeads.length ? [...chosen, ...chosenHeads.map((h) => h.id)] : chosen;
    const won = await guarded(() => this.collection.find({ _id: { $in: all }, claimToken }).sort({ nextAttemptAt: 1 }).toArray());
    if (!won.some((d) => d.orderingKey !== undefined)) return won.map(toDelivery);
    const kept = await Promise.all(won.map((d) => (d.orderingKey === undefined ? true : this.confirmHead(d, claimToken))));
    return won.filter((_, i) => kept[i]).map(toDelivery);
  }

  /**
   * A leased ordered delivery is sent only if, with its key's lease held, it is still the key's head:
   * it holds the key's unique `keyLease`, and no unfinished delivery of the key has a lower sequence
   * or none yet. The heads query reads a moving collection, so its answer can be stale by the time
   * the lease is taken; this check runs after the lease, which no other claimer can take meanwhile.
   * A delivery that fails it is given back unattempted, exactly as it was.
   */
  private async confirmHead(d: DeliveryDocument, claimToken: string): Promise<boolean> {
    const ownsKey = d.keyLease === `${d.hubId}\u0000${d.orderingKey}`;
    const ahead = ownsKey
      ? await guarded(() =>
          this.collection.countDocuments(
            {
              hubId: d.hubId,
              orderingKey: d.orderingKey,
              _id: { $ne: d._id },
              status: { $in: ['staged', 'pending'] },
              $or: [{ sequence: { $exists: false } }, { sequence: { $lt: d.sequence ?? 0 } }],
            } as Filter<DeliveryDocument>,
            { limit: 1 },
          ),
        )
      : 1;
    if (ahead === 0) return true;
    await guarded(() => this.collection.updateOne({ _id: d._id, claimToken }, toUpdate(RELEASE_LEASE)));
    return false;
  }

  /** The head of every (hubId, orderingKey) that may be leased now, earliest due first. */
  private async claimableHeads(now: number, saturated: readonly string[], limit: number): Promise<KeyHead[]> {
    const match: Document = { orderingKey: { $exists: true }, status: { $in: ['staged', 'pending'] } };
    if (saturated.length) match.hubId = { $nin: saturated };
    return guarded(() =>
      this.collection
        .aggregate<KeyHead>([
          { $match: match },
          // A delivery without a sequence yet (staged by a publish in progress) sorts first: it holds its key.
          { $sort: { sequence: 1, createdAt: 1, _id: 1 } },
          {
            $group: {
              _id: { hubId: '$hubId', key: '$orderingKey' },
              id: { $first: '$_id' },
              status: { $first: '$status' },
              sequence: { $first: '$sequence' },
              nextAttemptAt: { $first: '$nextAttemptAt' },
              leaseUntil: { $max: '$leaseUntil' },
            },
          },
          { $match: { status: 'pending', sequence: { $gt: 0 }, nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] } },
          { $sort: { nextAttemptAt: 1 } },
          { $limit: limit },
        ])
        .toArray(),
    );
  }

  /** Leases one key's head, unless another lease of the key holds (the unique keyLease refuses it). */
  private async leaseHead(id: string, keyLease: string, claimable: Filter<DeliveryDocument>, lease: Document, now: number): Promise<void> {
    try {
      await guarded(() => this.collection.updateOne({ ...claimable, _id: id }, { $set: { ...lease, keyLease } }));
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
      // Another lease of the key holds it; if that lease ran out (its worker died), free the key for the next claim.
      await guarded(() =>
        this.collection.updateMany({ keyLease, leaseUntil: { $lte: now } } as Filter<DeliveryDocument>, { $unset: { keyLease: '', claimToken: '' } }),
      );
    }
  }

  async complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const result = await guarded(() => this.collection.updateOne({ _id: id, leaseOwner: owner }, toUpdate(outcomeChange(outcome))));
    return result.matchedCount === 1;
  }

  async postpone(id: string, owner: string, until: number): Promise<boolean> {
    const result = await guarded(() => this.collection.updateOne({ _id: id, leaseOwner: owner }, toUpdate(postponeChange(until))));
    return result.matchedCount === 1;
  }

  async workerHeartbeat(owner: string, now: number, aliveMs: number): Promise<number> {
    return guarded(async () => {
      await this.workers.updateOne({ _id: owner }, { $set: { seenAt: now } }, { upsert: true });
      await this.workers.deleteMany({ seenAt: { $lte: now - aliveMs } });
      return this.workers.countDocuments({ seenAt: { $gt: now - aliveMs } });
    });
  }

  async release(owner: string): Promise<number> {
    const result = await guarded(() => this.collection.updateMany({ leaseOwner: owner }, toUpdate(RELEASE_LEASE)));
    return result.modifiedCount;
  }

  async get(hubId: string, id: string): Promise<Delivery | undefined> {
    const doc = await guarded(() => this.collection.findOne({ _id: id, hubId, $and: where(VISIBLE) }));
    return doc ? toDelivery(doc) : undefined;
  }

  async list(hubId: string, query: DeliveryListQuery): Promise<{ items: Delivery[]; total: number }> {
    const filter: Document = { hubId, $and: where([...VISIBLE, ...query.filter]) };
    const { docs, total } = await findPage<DeliveryDocument>(this.collection, {
      filter,
      sort: { createdAt: 1, _id: 1 },
      offset: query.offset,
      limit: query.limit,
    });
    return { items: docs.map(toDelivery), total };
  }

  async redeliver(hubId: string, id: string, now: number): Promise<Delivery | undefined> {
    await guarded(() =>
      this.collection.updateOne({ _id: id, hubId, $and: where(REDELIVERABLE) }, toUpdate(redeliverChange(now))),
    );
    return this.get(hubId, id);
  }

  async deleteByHub(hubId: string): Promise<number> {
    return (await guarded(() => this.collection.deleteMany({ hubId }))).deletedCount;
  }

  async deleteByEvent(eventResourceId: string): Promise<number> {
    return (await guarded(() => this.collection.deleteMany({ eventResourceId }))).deletedCount;
  }

  async deleteFinishedBefore(cutoff: number, limit: number): Promise<number> {
    const filter = { $and: where(finishedBefore(cutoff)) };
    const ids = await guarded(() => this.collection.find(filter, { projection: { _id: 1 } }).limit(limit).toArray());
    if (ids.length === 0) return 0;
    return (await guarded(() => this.collection.deleteMany({ ...filter, _id: { $in: ids.map((d) => d._id) } }))).deletedCount;
  }

  async attemptsSince(hubId: string, since: string): Promise<Array<Pick<DeliveryAttempt, 'at' | 'durationMs' | 'outcome'>>> {
    // Attempt times are ISO strings of one fixed format, so they compare in time order as strings.
    const docs = await guarded(() =>
      this.collection
        .aggregate<{ at: string; durationMs: number; outcome: DeliveryAttempt['outcome'] }>([
          { $match: { hubId, 'attempts.at': { $gte: since } } },
          { $unwind: '$attempts' },
          { $match: { 'attempts.at': { $gte: since } } },
          { $project: { _id: 0, at: '$attempts.at', durationMs: '$attempts.durationMs', outcome: '$attempts.outcome' } },
        ])
        .toArray(),
    );
    return docs;
  }

  async pendingStats(): Promise<{ count: number; oldestCreatedAt?: number }> {
    const [count, oldest] = await guarded(() =>
      Promise.all([
        this.collection.countDocuments({ status: 'pending' }),
        this.collection.find({ status: 'pending' }, { projection: { createdAt: 1 } }).sort({ createdAt: 1 }).limit(1).next(),
      ]),
    );
    return { count, oldestCreatedAt: oldest ? Date.parse(oldest.createdAt) : undefined };
  }

  async countUnfinished(): Promise<number> {
    return guarded(() => this.collection.countDocuments({ status: { $in: ['staged', 'pending'] } }));
  }
}

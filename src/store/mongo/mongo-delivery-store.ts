import { randomUUID } from 'node:crypto';
import type { Collection, Document, Filter } from 'mongodb';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryAttempt, DeliveryListQuery, DeliveryStore, HeartbeatGroup } from '../delivery-types';
import {
  finishedBefore,
  outcomeChange,
  postponeChange,
  RELEASE_LEASE,
  releaseStagedChange,
  REDELIVERABLE,
  redeliverChange,
  stagedBefore,
  VISIBLE,
} from '../delivery-transitions';
import { chooseCandidates, roomPerHub, type Candidate } from './claim-candidates';
import { toDelivery, toDocument, toUpdate, where, type DeliveryDocument } from './delivery-document';
import { findPage } from './find-page';
import { guarded, guardedWrite } from './mongo-errors';
import { OrderedClaims } from './ordered-claims';

/** How many due candidates a claim looks at per delivery it may take (room to skip saturated hubs). */
const CANDIDATES_PER_SLOT = 4;

/** Earlier due first (the order claims take candidates in). */
const byDue = (a: Candidate, b: Candidate): number => a.nextAttemptAt - b.nextAttemptAt;

/**
 * The outbox on MongoDB. A claim takes a batch in three round trips: read due candidates, lease them
 * with one updateMany that re-checks "due and unleased" per document (so a delivery another worker
 * took in between is simply not ours), and read back what this claim's token won. It is atomic per
 * delivery across processes; a lease that outlives its worker (a crash) expires and the delivery is
 * due again. Ordered deliveries are claimed beside those, a key's head at a time (OrderedClaims).
 */
export class MongoDeliveryStore implements DeliveryStore {
  private readonly ordered: OrderedClaims;

  constructor(
    private readonly collection: Collection<DeliveryDocument>,
    /** One document per live process and group (workers, API processes): how many share a rate. */
    private readonly workers: Collection<{ _id: string; group?: HeartbeatGroup; seenAt: number }>,
  ) {
    this.ordered = new OrderedClaims(collection);
  }

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
    const documents = deliveries.map(toDocument);
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
    const room = roomPerHub(request);
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
          .find<Candidate>(saturated.length ? { ...unordered, hubId: { $nin: saturated } } : unordered, { projection: { _id: 1, hubId: 1, nextAttemptAt: 1 } })
          .sort({ nextAttemptAt: 1 })
          .limit(width)
          .toArray(),
      ),
      this.ordered.heads(request.now, saturated, width),
    ]);
    const chosen = chooseCandidates(heads.length ? [...candidates, ...heads].sort(byDue) : candidates, room, request);
    if (chosen.ids.length + chosen.heads.length === 0) return [];
    const claimToken = randomUUID();
    const lease: Document = { leaseOwner: request.owner, leaseUntil: request.now + request.leaseMs, claimToken };
    await Promise.all([
      chosen.ids.length ? guarded(() => this.collection.updateMany({ ...claimable, _id: { $in: chosen.ids } }, { $set: lease })) : undefined,
      ...chosen.heads.map((head) => this.ordered.lease(head, claimable, lease, request.now)),
    ]);
    const all = chosen.heads.length ? [...chosen.ids, ...chosen.heads.map((h) => h.id)] : chosen.ids;
    const won = await guarded(() => this.collection.find({ _id: { $in: all }, claimToken }).sort({ nextAttemptAt: 1 }).toArray());
    return (await this.ordered.confirmed(won, claimToken)).map(toDelivery);
  }

  async complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const result = await guarded(() => this.collection.updateOne({ _id: id, leaseOwner: owner }, toUpdate(outcomeChange(outcome))));
    return result.matchedCount === 1;
  }

  async postpone(id: string, owner: string, until: number): Promise<boolean> {
    const result = await guarded(() => this.collection.updateOne({ _id: id, leaseOwner: owner }, toUpdate(postponeChange(until))));
    return result.matchedCount === 1;
  }

  async heartbeat(group: HeartbeatGroup, owner: string, now: number, aliveMs: number): Promise<number> {
    return guarded(async () => {
      await this.workers.updateOne({ _id: `${group} ${owner}` }, { $set: { group, seenAt: now } }, { upsert: true });
      // Documents of older versions have no group: they go once stale, like the group's own.
      await this.workers.deleteMany({ $or: [{ group }, { group: { $exists: false } }], seenAt: { $lte: now - aliveMs } });
      return this.workers.countDocuments({ group, seenAt: { $gt: now - aliveMs } });
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

import { MongoServerError, type Collection, type Document, type Filter } from 'mongodb';
import type { Delivery } from '../delivery-types';
import { RELEASE_LEASE } from '../delivery-transitions';
import { orderingLeaseKey } from '../ordering-lease-key';
import type { Candidate } from './claim-candidates';
import { toUpdate, type DeliveryDocument } from './delivery-document';
import { guarded } from './mongo-errors';

/** What the heads query answers per (hubId, orderingKey): its lowest-sequence unfinished delivery, and the latest lease in the key. */
interface KeyHead {
  _id: { hubId: string; key: string };
  id: string;
  status: Delivery['status'];
  sequence?: number | null;
  nextAttemptAt: number;
  leaseUntil?: number | null;
}

/**
 * The ordered half of a MongoDB claim. Ordered deliveries are left out of the claim's due query; a
 * second query, run beside it, groups the unfinished ordered deliveries by (hubId, orderingKey) and
 * keeps each key's head (the lowest sequence; one without a sequence yet sorts first and holds the
 * key) when it is pending, due and nothing of its key is leased. Each head is leased by its own
 * updateOne that also sets `keyLease`; the unique index on it makes a second process's lease in the
 * same key fail (E11000), so a key is never leased twice even when two processes saw different heads
 * (a replay or redelivery inserting a lower sequence in between). A stale `keyLease` left by a
 * worker that died is cleared once its lease has run out.
 */
export class OrderedClaims {
  constructor(private readonly collection: Collection<DeliveryDocument>) {}

  /** The head of every (hubId, orderingKey) that may be leased now, earliest due first, outside the saturated hubs. */
  async heads(now: number, saturated: readonly string[], limit: number): Promise<Candidate[]> {
    const match: Document = { orderingKey: { $exists: true }, status: { $in: ['staged', 'pending'] } };
    if (saturated.length) match.hubId = { $nin: saturated };
    const heads = await guarded(() =>
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
    return heads.map((h) => ({ _id: h.id, hubId: h._id.hubId, nextAttemptAt: h.nextAttemptAt, key: h._id.key }));
  }

  /** Leases one key's head, unless another lease of the key holds (the unique keyLease refuses it). */
  async lease(head: { id: string; keyLease: string }, claimable: Filter<DeliveryDocument>, lease: Document, now: number): Promise<void> {
    const { id, keyLease } = head;
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

  /** What a claim won, less the ordered deliveries that turned out not to be their key's head (given back as they were). */
  async confirmed(won: DeliveryDocument[], claimToken: string): Promise<DeliveryDocument[]> {
    if (!won.some((d) => d.orderingKey !== undefined)) return won;
    const kept = await Promise.all(won.map((d) => (d.orderingKey === undefined ? true : this.isHead(d, d.orderingKey, claimToken))));
    return won.filter((_, i) => kept[i]);
  }

  /**
   * A leased ordered delivery is sent only if, with its key's lease held, it is still the key's head:
   * it holds the key's unique `keyLease`, and no unfinished delivery of the key has a lower sequence
   * or none yet. The heads query reads a moving collection, so its answer can be stale by the time
   * the lease is taken; this check runs after the lease, which no other claimer can take meanwhile.
   * A delivery that fails it is given back unattempted, exactly as it was.
   */
  private async isHead(d: DeliveryDocument, orderingKey: string, claimToken: string): Promise<boolean> {
    const ownsKey = d.keyLease === orderingLeaseKey(d.hubId, orderingKey);
    const ahead = ownsKey
      ? await guarded(() =>
          this.collection.countDocuments(
            {
              hubId: d.hubId,
              orderingKey,
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
}

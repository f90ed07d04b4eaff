import type { Collection } from 'mongodb';
import type { PollRecord, PollRecordStore } from '../poll-record-store';
import { guarded } from './mongo-errors';

/** A poll record as stored: keyed by the topic's id. */
type PollDocument = Omit<PollRecord, 'topicId'> & { _id: string };

/**
 * Poll records on one collection, `{_id: topicId, generation, baselineAt, auth, leaseOwner, leaseUntil}`.
 * A lease is taken by one conditional update (free, run out, or already ours), which MongoDB applies
 * atomically to the one document: two processes never both hold a topic.
 */
export class MongoPollRecords implements PollRecordStore {
  constructor(private readonly collection: Collection<PollDocument>) {}

  async ensureIndexes(): Promise<void> {
    await guarded(() => this.collection.createIndex({ leaseOwner: 1 }, { name: 'lease_owner', sparse: true }));
  }

  async create(topicId: string, auth?: Readonly<Record<string, unknown>>): Promise<void> {
    const change = auth ? { $set: { auth: { ...auth } } } : { $unset: { auth: '' as const } };
    await guarded(() => this.collection.updateOne({ _id: topicId }, { ...change, $setOnInsert: { generation: 0 } }, { upsert: true }));
  }

  async get(topicId: string): Promise<PollRecord | undefined> {
    const found = await guarded(() => this.collection.findOne({ _id: topicId }));
    if (!found) return undefined;
    const { _id, ...record } = found;
    return { topicId: _id, ...record };
  }

  async lease(topicId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const free = { $or: [{ leaseOwner: owner }, { leaseOwner: { $exists: false } }, { leaseUntil: { $lte: now } }] };
    const result = await guarded(() => this.collection.updateOne({ _id: topicId, ...free }, { $set: { leaseOwner: owner, leaseUntil: now + leaseMs } }));
    return result.matchedCount === 1;
  }

  async advance(topicId: string, owner: string, generation: number, baselineAt: number): Promise<boolean> {
    const held = { _id: topicId, leaseOwner: owner };
    const result = await guarded(() => this.collection.updateOne(held, { $set: { generation } }));
    if (result.matchedCount !== 1) return false;
    await guarded(() => this.collection.updateOne({ ...held, baselineAt: { $exists: false } }, { $set: { baselineAt } }));
    return true;
  }

  async release(owner: string): Promise<number> {
    const result = await guarded(() => this.collection.updateMany({ leaseOwner: owner }, { $unset: { leaseOwner: '', leaseUntil: '' } }));
    return result.modifiedCount;
  }

  async delete(topicId: string): Promise<boolean> {
    const result = await guarded(() => this.collection.deleteOne({ _id: topicId }));
    return result.deletedCount === 1;
  }
}

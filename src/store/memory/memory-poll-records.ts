import type { PollRecord, PollRecordStore } from '../poll-record-store';

/** The embedded store's poll records: one process, so a lease is only ever contended by its own pollers. */
export class MemoryPollRecords implements PollRecordStore {
  private readonly records = new Map<string, PollRecord>();

  async create(topicId: string, auth?: Readonly<Record<string, unknown>>): Promise<void> {
    const record = this.records.get(topicId) ?? { topicId, generation: 0 };
    if (auth) record.auth = { ...auth };
    else delete record.auth;
    this.records.set(topicId, record);
  }

  async get(topicId: string): Promise<PollRecord | undefined> {
    const record = this.records.get(topicId);
    return record && { ...record };
  }

  async lease(topicId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const record = this.records.get(topicId);
    if (!record) return false;
    if (record.leaseOwner !== undefined && record.leaseOwner !== owner && (record.leaseUntil ?? 0) > now) return false;
    record.leaseOwner = owner;
    record.leaseUntil = now + leaseMs;
    return true;
  }

  async advance(topicId: string, owner: string, generation: number, baselineAt: number): Promise<boolean> {
    const record = this.records.get(topicId);
    if (!record || record.leaseOwner !== owner) return false;
    record.generation = generation;
    record.baselineAt ??= baselineAt;
    return true;
  }

  async release(owner: string): Promise<number> {
    let released = 0;
    for (const record of this.records.values()) {
      if (record.leaseOwner !== owner) continue;
      delete record.leaseOwner;
      delete record.leaseUntil;
      released += 1;
    }
    return released;
  }

  async delete(topicId: string): Promise<boolean> {
    return this.records.delete(topicId);
  }
}

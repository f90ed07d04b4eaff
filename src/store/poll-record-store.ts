/**
 * What a process that polls a topic's `source` (issue 28) keeps of the topic besides its states
 * (those are the `states` ResourceStore, scope = the topic's id): the eventIds' generation, whether
 * the baseline is stored, the write-only credentials to poll with, and the lease that lets one
 * process at a time poll the topic.
 */
export interface PollRecord {
  topicId: string;
  /** How many polls stored a change: the generation of the next poll's eventIds. */
  generation: number;
  /** When the first poll's states were stored (ms); absent before, when the first poll publishes nothing. */
  baselineAt?: number;
  /** The `auth` to poll with, complete: never in an answer (the topic's source shows what is safe). */
  auth?: Readonly<Record<string, unknown>>;
  /** Which process polls the topic, and until when (ms) unless it renews. */
  leaseOwner?: string;
  leaseUntil?: number;
}

export interface PollRecordStore {
  /** Creates the topic's record (generation 0, no baseline) with its credentials, or replaces the credentials of one there. */
  create(topicId: string, auth?: Readonly<Record<string, unknown>>): Promise<void>;
  get(topicId: string): Promise<PollRecord | undefined>;
  /**
   * Takes the topic's lease for `owner` until `now + leaseMs`, or renews it: when no one holds it,
   * its holder's lease ran out, or `owner` holds it. False, changing nothing, when another process
   * holds a live lease or the topic has no record. Atomic across processes.
   */
  lease(topicId: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Records a poll whose states are stored: the next generation and when the baseline was stored.
   * Only while `owner` holds the lease: false, changing nothing, otherwise.
   */
  advance(topicId: string, owner: string, generation: number, baselineAt: number): Promise<boolean>;
  /** Gives up every lease `owner` holds (a process stopping): other processes take the topics at once. */
  release(owner: string): Promise<number>;
  delete(topicId: string): Promise<boolean>;
}

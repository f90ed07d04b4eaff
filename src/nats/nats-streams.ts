import { RetentionPolicy, StorageType, type JetStreamManager } from 'nats';
import { streamNameFor } from './nats-names';

/**
 * The stream that captures a subject: the one that does already, or one the hub creates for it
 * (file storage, the server's limits, a two-minute duplicate window for Nats-Msg-Id), as the Kafka
 * bridge creates a missing topic. Remembered per subject once known.
 */
export class StreamFinder {
  private readonly known = new Map<string, Promise<string>>();

  constructor(private readonly jsm: () => Promise<JetStreamManager>) {}

  capturing(subject: string): Promise<string> {
    let stream = this.known.get(subject);
    if (!stream) {
      stream = this.findOrCreate(subject);
      this.known.set(subject, stream);
      stream.catch(() => this.known.delete(subject));
    }
    return stream;
  }

  /** Forgets what it knows (the server restarted, or a stream was deleted). */
  forget(): void {
    this.known.clear();
  }

  private async findOrCreate(subject: string): Promise<string> {
    const jsm = await this.jsm();
    try {
      return await jsm.streams.find(subject);
    } catch (err) {
      if (!/no stream matches subject/i.test((err as Error).message)) throw err;
    }
    const name = streamNameFor(subject);
    await jsm.streams.add({
      name,
      subjects: [subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: 120_000_000_000,
    });
    return name;
  }
}

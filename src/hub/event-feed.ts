import type { Resource } from '../store/store-types';

export type PublishedListener = (topicId: string, event: Resource) => void;

/**
 * In-process news of events this process has stored: live streams wake on it instead of waiting for
 * their next poll, and metrics count it. Listeners must not throw; one that does is not allowed to
 * break publishing for the others.
 */
export class EventFeed {
  private readonly listeners = new Set<PublishedListener>();

  subscribe(listener: PublishedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  published(topicId: string, event: Resource): void {
    for (const listener of this.listeners) {
      try {
        listener(topicId, event);
      } catch {
        // A broken listener only loses its own news.
      }
    }
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}

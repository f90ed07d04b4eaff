import { randomUUID } from 'node:crypto';
import type { ListQuery, Page, Resource, Stores } from '../store/store-types';

export const INBOX_ENTRY_TYPE = 'InboxEntry';

/** Mock mode: notifications received by the hub's own listener endpoints, kept per inbox name. */
export class InboxService {
  constructor(
    private readonly stores: Pick<Stores, 'inbox'>,
    /** Entries kept per inbox (HUB_INBOX_LIMIT) and over all inboxes (HUB_INBOX_MAX_TOTAL): anyone may post to any inbox name. */
    private readonly limits: { perInbox: number; total: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(name: string, notification: unknown, headers: Record<string, string> = {}): Promise<Resource> {
    const entry: Resource = {
      id: randomUUID(),
      name,
      receivedAt: this.now().toISOString(),
      notification,
      headers,
      '@type': INBOX_ENTRY_TYPE,
    };
    await this.stores.inbox.insert(name, entry);
    await this.stores.inbox.trimScope(name, this.limits.perInbox);
    await this.stores.inbox.trimAll(this.limits.total);
    return entry;
  }

  list(name: string, query: ListQuery): Promise<Page> {
    return this.stores.inbox.list(name, query);
  }

  async clear(name: string): Promise<void> {
    await this.stores.inbox.deleteScope(name);
  }
}

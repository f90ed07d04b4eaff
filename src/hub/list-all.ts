import type { Resource, ResourceStore } from '../store/store-types';

const PAGE = 1000;

/** Every resource of a scope, read page by page (the stores cap nothing, but a page keeps each read bounded). */
export async function listAll(store: ResourceStore, scope: string): Promise<Resource[]> {
  const all: Resource[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list(scope, { filter: [], offset, limit: PAGE });
    all.push(...page.items);
    if (page.items.length < PAGE) return all;
  }
}

import { matchesFilter } from '../../query/match-filter';
import { projectFields } from '../../query/project-fields';
import { DuplicateKeyError } from '../store-errors';
import type { ListQuery, Page, Resource, ResourceStore, ResourceStoreOptions } from '../store-types';

/** The embedded store: Maps keep insertion order, and copies go in and out so callers cannot alias. */
export class MemoryResourceStore implements ResourceStore {
  private readonly scopes = new Map<string, Map<string, Resource>>();
  /** scope -> unique attribute value (as JSON) -> id: uniqueness without scanning. */
  private readonly unique = new Map<string, Map<string, string>>();
  /**
   * scope -> every id in insertion order, and each id's position, so listAfter starts where the
   * cursor is instead of scanning. Deleted ids stay until their scope goes; lists skip them.
   */
  private readonly order = new Map<string, { ids: string[]; position: Map<string, number> }>();

  constructor(private readonly options: ResourceStoreOptions = {}) {}

  async insert(scope: string, resource: Resource): Promise<void> {
    const items = this.scope(scope, true);
    if (items.has(resource.id)) throw new DuplicateKeyError('id', resource.id);
    const unique = this.options.uniqueAttribute;
    if (unique !== undefined && resource[unique] !== undefined) {
      let index = this.unique.get(scope);
      if (!index) this.unique.set(scope, (index = new Map()));
      const key = JSON.stringify(resource[unique]);
      if (index.has(key)) throw new DuplicateKeyError(unique, resource[unique]);
      index.set(key, resource.id);
    }
    items.set(resource.id, structuredClone(resource));
    let order = this.order.get(scope);
    if (!order) this.order.set(scope, (order = { ids: [], position: new Map() }));
    if (!order.position.has(resource.id)) {
      order.position.set(resource.id, order.ids.length);
      order.ids.push(resource.id);
    }
  }

  async listAfter(scope: string, after: string | undefined, limit: number): Promise<Resource[] | undefined> {
    const { ids, position } = this.order.get(scope) ?? { ids: [], position: new Map<string, number>() };
    const items = this.scope(scope);
    const from = after === undefined ? 0 : items?.has(after) ? position.get(after) : undefined;
    if (from === undefined) return undefined;
    const found: Resource[] = [];
    for (let i = after === undefined ? 0 : from + 1; i < ids.length && found.length < limit; i++) {
      const resource = items?.get(ids[i]);
      if (resource) found.push(structuredClone(resource));
    }
    return found;
  }

  async lastId(scope: string): Promise<string | undefined> {
    const ids = this.order.get(scope)?.ids ?? [];
    const items = this.scope(scope);
    for (let i = ids.length - 1; i >= 0; i--) if (items?.has(ids[i])) return ids[i];
    return undefined;
  }

  async findIdByUnique(scope: string, value: unknown): Promise<string | undefined> {
    return this.unique.get(scope)?.get(JSON.stringify(value));
  }

  async get(scope: string, id: string, fields?: readonly string[]): Promise<Resource | undefined> {
    const found = this.scope(scope)?.get(id);
    return found && projectFields(structuredClone(found), fields);
  }

  async list(scope: string, query: ListQuery): Promise<Page> {
    const matching = [...(this.scope(scope)?.values() ?? [])].filter((r) => matchesFilter(r, query.filter));
    const items = matching
      .slice(query.offset, query.offset + query.limit)
      .map((r) => projectFields(structuredClone(r), query.fields));
    return { items, total: matching.length };
  }

  async delete(scope: string, id: string): Promise<boolean> {
    const existing = this.scope(scope)?.get(id);
    const unique = this.options.uniqueAttribute;
    if (existing && unique !== undefined && existing[unique] !== undefined) this.unique.get(scope)?.delete(JSON.stringify(existing[unique]));
    return this.scope(scope)?.delete(id) ?? false;
  }

  async trimScope(scope: string, keep: number): Promise<number> {
    const items = this.scope(scope);
    const excess = (items?.size ?? 0) - keep;
    if (!items || excess <= 0) return 0;
    for (const id of [...items.keys()].slice(0, excess)) await this.delete(scope, id);
    return excess;
  }

  async deleteScope(scope: string): Promise<number> {
    const count = this.scope(scope)?.size ?? 0;
    this.scopes.delete(scope);
    this.unique.delete(scope);
    this.order.delete(scope);
    return count;
  }

  private scope(scope: string, create: true): Map<string, Resource>;
  private scope(scope: string, create?: boolean): Map<string, Resource> | undefined;
  private scope(scope: string, create = false): Map<string, Resource> | undefined {
    let items = this.scopes.get(scope);
    if (!items && create) {
      items = new Map();
      this.scopes.set(scope, items);
    }
    return items;
  }
}

import type { Collection, Document, Filter, Sort } from 'mongodb';
import { guarded } from './mongo-errors';

export interface PageRequest {
  filter: Filter<Document>;
  sort: Sort;
  offset: number;
  limit: number;
  projection?: Document;
}

/** One page of matches and the number of all matches, counted and read inside MongoDB. */
export async function findPage<T extends Document>(collection: Collection<any>, page: PageRequest): Promise<{ docs: T[]; total: number }> {
  const [total, docs] = await guarded(() =>
    Promise.all([
      collection.countDocuments(page.filter),
      page.limit === 0
        ? Promise.resolve([] as T[])
        : collection.find<T>(page.filter, { projection: page.projection }).sort(page.sort).skip(page.offset).limit(page.limit).toArray(),
    ]),
  );
  return { docs, total };
}

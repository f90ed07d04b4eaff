import type { Document } from 'mongodb';
import type { FilterClause } from '../../query/filter-clause';
import type { Delivery } from '../delivery-types';
import type { DeliveryChange } from '../delivery-transitions';
import { toMongoFilter } from './mongo-query';

/**
 * An outbox record as MongoDB stores it: the delivery's id is the document's `_id`. `claimToken`
 * marks what one claim leased, so the claim can read back what it won; `keyLease` (an
 * orderingLeaseKey) is set on an ordered delivery while it is leased, under a unique sparse index:
 * the database itself refuses a second lease in one key, whichever processes race. Neither ever
 * leaves the store.
 */
export type DeliveryDocument = Omit<Delivery, 'id'> & { _id: string; claimToken?: string; keyLease?: string };

export const toDocument = ({ id, ...rest }: Delivery): DeliveryDocument => ({ _id: id, ...rest });

export const toDelivery = ({ _id, claimToken: _token, keyLease: _key, ...rest }: DeliveryDocument): Delivery => ({ id: _id, ...rest });

/** Delivery conditions as a MongoDB filter (the delivery id is the document's _id). */
export const where = (clauses: readonly FilterClause[]): Document[] =>
  toMongoFilter(clauses.map((c) => (c.path[0] === 'id' && c.path.length === 1 ? { ...c, path: ['_id'] } : c)), '');

/** A shared state change as a MongoDB update; the claim token and key lease are the lease's, so they go with it. */
export function toUpdate(change: DeliveryChange): Document {
  const update: Document = {};
  if (Object.keys(change.set).length) update.$set = change.set;
  const unset = change.unset.includes('leaseOwner') ? [...change.unset, 'claimToken', 'keyLease'] : change.unset;
  if (unset.length) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
  if (change.push) update.$push = { attempts: change.push };
  return update;
}

/**
 * The one spelling of an ordering key's lease: a hub and one of its ordering keys. The embedded
 * store files each key's bookkeeping under it, and the MongoDB store writes it as `keyLease` under a
 * unique index, so that the database refuses a second lease in one key. NUL joins the two because
 * hub ids are generated UUIDs: the first NUL ends the hub id, so two different pairs never spell
 * the same key, whatever characters an ordering key (taken from event data) holds.
 */
export function orderingLeaseKey(hubId: string, orderingKey: string): string {
  return `${hubId}\u0000${orderingKey}`;
}

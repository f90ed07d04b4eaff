import type { ClaimRequest } from '../delivery-types';
import { claimableFor } from '../delivery-transitions';
import { orderingLeaseKey } from '../ordering-lease-key';

/** A due delivery a claim may lease: an unordered one, or the head of an ordering key (`key` set). */
export interface Candidate {
  _id: string;
  hubId: string;
  nextAttemptAt: number;
  key?: string;
}

/** What one claim leases: unordered deliveries by id, and ordered heads with their key's lease. */
export interface Chosen {
  ids: string[];
  heads: Array<{ id: string; keyLease: string }>;
}

/**
 * How many more deliveries one claim may take of each hub with something in flight, a limit of its
 * own or a rate budget; a hub not listed has the whole perHubLimit. Hubs at 0 are left out of the queries.
 */
export function roomPerHub(request: Pick<ClaimRequest, 'perHubLimit' | 'inFlightByHub' | 'hubLimit' | 'hubBudget'>): Map<string, number> {
  const room = new Map<string, number>();
  for (const hubId of new Set([...request.inFlightByHub.keys(), ...(request.hubLimit?.keys() ?? []), ...(request.hubBudget?.keys() ?? [])])) {
    room.set(hubId, claimableFor(hubId, request.inFlightByHub.get(hubId) ?? 0, request));
  }
  return room;
}

/** The candidates a claim leases, taken in the order given (earliest due first): at most `limit`, and at most each hub's room. */
export function chooseCandidates(candidates: readonly Candidate[], room: ReadonlyMap<string, number>, request: Pick<ClaimRequest, 'limit' | 'perHubLimit'>): Chosen {
  const left = new Map(room);
  const chosen: Chosen = { ids: [], heads: [] };
  for (const { _id, hubId, key } of candidates) {
    if (chosen.ids.length + chosen.heads.length >= request.limit) break;
    const hubLeft = left.get(hubId) ?? request.perHubLimit;
    if (hubLeft <= 0) continue;
    left.set(hubId, hubLeft - 1);
    if (key === undefined) chosen.ids.push(_id);
    else chosen.heads.push({ id: _id, keyLease: orderingLeaseKey(hubId, key) });
  }
  return chosen;
}

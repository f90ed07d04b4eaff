import type { Resource } from '../store/store-types';

/** A hub's `rateLimit` attribute: `{"perSecond": 50}` caps its delivery attempts (the name is fixed). */
export const RATE_LIMIT_ATTRIBUTE = 'rateLimit';

/** The hub's limit as the worker applies it; undefined when it has none (the contract validated its shape). */
export function rateLimitOf(hub: Resource): { perSecond: number } | undefined {
  const limit = hub[RATE_LIMIT_ATTRIBUTE] as { perSecond?: unknown } | undefined;
  return typeof limit?.perSecond === 'number' && limit.perSecond > 0 ? { perSecond: limit.perSecond } : undefined;
}

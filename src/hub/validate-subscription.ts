import type { CallbackTargets } from './callback-targets';
import { BadRequestError } from '../errors';
import { compileQuery } from '../query/hub-query';
import { assertOrdering } from './ordering';
import { runHandshake, type HandshakeProbe } from './webhook-handshake';

/** How subscriptions are checked before they are stored. */
export interface SubscriptionChecks {
  callbacks: Pick<CallbackTargets, 'creationRefusal'>;
  /** The CloudEvents validation handshake, for subscriptions created with `"validate": true`. */
  handshake?: { probe: HandshakeProbe; requestRate: number };
}

/**
 * What a topic hub and a POST /hub registration both need before they are stored: a valid query and ordering, an
 * allowed callback and, when asked for, the listener's consent. Returns attributes to store with it
 * (the rate the listener allowed).
 */
export async function validateSubscription(input: Record<string, unknown>, checks: SubscriptionChecks, origin: string): Promise<Record<string, unknown>> {
  compileQuery(input.query as string | undefined);
  assertOrdering(input.ordering);
  const refused = await checks.callbacks.creationRefusal(String(input.callback));
  if (refused) throw new BadRequestError(`callback: ${refused}`, 'Callback refused');
  if (input.validate !== true) return {};
  if (!checks.handshake) throw new BadRequestError('validate: this hub process cannot send the validation request', 'Callback validation failed');
  const { rateLimit } = await runHandshake(checks.handshake.probe, { callback: String(input.callback), origin, requestRate: checks.handshake.requestRate });
  // The listener's allowed rate becomes the hub's rate limit, unless the request set one itself.
  return rateLimit && input.rateLimit === undefined ? { rateLimit } : {};
}

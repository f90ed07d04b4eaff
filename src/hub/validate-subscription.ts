import type { ListenerCredentials } from '../credentials/listener-credentials';
import { BadRequestError } from '../errors';
import { compileQuery } from '../query/hub-query';
import type { CallbackTargets } from './callback-targets';
import { checkedCredentials, credentialAttributes, withoutCredentialInput } from './hub-credentials';
import { assertOrdering } from './ordering';
import { runHandshake, type HandshakeProbe } from './webhook-handshake';

/** How subscriptions are checked before they are stored. */
export interface SubscriptionChecks {
  callbacks: Pick<CallbackTargets, 'creationRefusal' | 'isBroker'>;
  /** The CloudEvents validation handshake, for subscriptions created with `"validate": true`. */
  handshake?: { probe: HandshakeProbe; requestRate: number };
  /**
   * Told when a hub's credentials are set, changed or gone with the hub (undefined), so that what
   * this process keeps of them (tokens, TLS connections, the certificate's expiry) follows at once.
   */
  credentialsChanged?(hubId: string, credentials: ListenerCredentials | undefined): void;
  now?: () => number;
}

/**
 * What a topic hub and a POST /hub registration both need before they are stored: a valid query
 * and ordering, an allowed callback, valid credentials and, when asked for, the listener's consent
 * (asked with those credentials). Returns the attributes to store: the input with its secrets moved
 * under the write-only `secret` (credentials shown safely) and the rate the listener allowed.
 */
export async function validateSubscription(input: Record<string, unknown>, checks: SubscriptionChecks, origin: string): Promise<Record<string, unknown>> {
  compileQuery(input.query as string | undefined);
  assertOrdering(input.ordering);
  const callback = String(input.callback);
  const refused = await checks.callbacks.creationRefusal(callback);
  if (refused) throw new BadRequestError(`callback: ${refused}`, 'Callback refused');
  const credentials = await checkedCredentials(input, undefined, callback, checks.callbacks, (checks.now ?? Date.now)());
  const attributes = { ...withoutCredentialInput(input), ...credentialAttributes(input.secret, credentials, true) };
  if (input.validate !== true) return attributes;
  if (!checks.handshake) throw new BadRequestError('validate: this hub process cannot send the validation request', 'Callback validation failed');
  const { rateLimit } = await runHandshake(checks.handshake.probe, { callback, origin, requestRate: checks.handshake.requestRate, credentials });
  // The listener's allowed rate becomes the hub's rate limit, unless the request set one itself.
  return rateLimit && input.rateLimit === undefined ? { ...attributes, rateLimit } : attributes;
}

import { signWebhook } from './sign-webhook';

export interface AttemptHeaderInput {
  /** The delivery id: the webhook-id, stable across attempts. */
  deliveryId: string;
  /** 1 for the first attempt. */
  attemptNumber: number;
  /** When the attempt starts, ms since epoch (webhook-timestamp is in seconds). */
  now: number;
  payload: string;
  /** The hub's signing secrets, newest first; none means the attempt is not signed. */
  secrets: readonly string[];
  /** The delivery was created by a replay. */
  replay?: boolean;
  /** Default application/json (a CloudEvent in structured mode is application/cloudevents+json). */
  contentType?: string;
}

/**
 * The headers of one delivery attempt (Standard Webhooks). With several secrets (a rotation's grace),
 * webhook-signature carries one signature per secret, space-separated, so a listener holding any verifies.
 */
export function attemptHeaders(input: AttemptHeaderInput): Record<string, string> {
  const timestamp = String(Math.floor(input.now / 1000));
  const headers: Record<string, string> = {
    'content-type': input.contentType ?? 'application/json',
    'user-agent': 'tmf688-hub',
    'webhook-id': input.deliveryId,
    'webhook-timestamp': timestamp,
    'webhook-attempt': String(input.attemptNumber),
  };
  if (input.replay) headers['webhook-replay'] = 'true';
  if (input.secrets.length) {
    headers['webhook-signature'] = input.secrets.map((secret) => signWebhook(secret, input.deliveryId, timestamp, input.payload)).join(' ');
  }
  return headers;
}

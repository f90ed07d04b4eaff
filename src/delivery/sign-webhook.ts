import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com): base64 HMAC-SHA256 over
 * "{webhook-id}.{webhook-timestamp}.{body}", sent as "v1,<signature>". A secret written
 * "whsec_<base64>" is the base64-decoded key, as Standard Webhooks libraries expect; any other
 * string is used as its UTF-8 bytes (verify those with the libraries' raw-secret option).
 */
export function signWebhook(secret: string, id: string, timestamp: string, body: string): string {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

import type { CallbackGuard } from './callback-guard';
import type { CredentialedClient } from './credentialed-client';
import type { DeliveryTransport } from './delivery-transport';
import type { WebhookClient } from './webhook-client';

/**
 * HTTP(S) listeners: the callback guard at creation (and, inside the client, at connect time), a
 * POST per attempt; with the hub's credentials when its listener requires some (otherwise the
 * attempt takes the plain client's path, no dearer than before credentials existed).
 */
export function httpTransport(
  client: Pick<WebhookClient, 'post'>,
  guard: Pick<CallbackGuard, 'creationRefusal'>,
  credentialed?: Pick<CredentialedClient, 'post'>,
): DeliveryTransport {
  return {
    schemes: ['http', 'https'],
    broker: false,
    creationRefusal: (url) => guard.creationRefusal(url),
    send: ({ delivery, body, headers, timeoutMs, credentials }) =>
      credentials && credentialed
        ? credentialed.post(delivery.hubId, credentials, { url: delivery.url, body, headers, timeoutMs })
        : client.post({ url: delivery.url, body, headers, timeoutMs }),
  };
}

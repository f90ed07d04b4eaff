import type { CallbackGuard } from './callback-guard';
import type { DeliveryTransport } from './delivery-transport';
import type { WebhookClient } from './webhook-client';

/** HTTP(S) listeners: the callback guard at creation (and, inside the client, at connect time), a POST per attempt. */
export function httpTransport(client: Pick<WebhookClient, 'post'>, guard: Pick<CallbackGuard, 'creationRefusal'>): DeliveryTransport {
  return {
    schemes: ['http', 'https'],
    broker: false,
    creationRefusal: (url) => guard.creationRefusal(url),
    send: ({ delivery, body, headers, timeoutMs }) => client.post({ url: delivery.url, body, headers, timeoutMs }),
  };
}

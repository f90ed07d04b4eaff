import type { Config } from '../config';
import type { Logger } from '../logger';
import { ThreadedWebhookClient, webhookThreadEntry } from './threaded-webhook-client';
import { webhookSettings } from './webhook-settings';

/**
 * Whether plain HTTP deliveries get a thread of their own (HUB_DELIVERY_THREAD=on). The thread is
 * compiled JavaScript: from the TypeScript sources (jest, `npm run dev`) `on` is refused, saying so.
 */
export function usesDeliveryThread(setting: Config['deliveryThread'], compiled: boolean): boolean {
  if (setting === 'off') return false;
  if (!compiled) throw new Error('HUB_DELIVERY_THREAD=on needs the compiled hub (npm run build, then npm start); it cannot start from the TypeScript sources');
  return true;
}

/** The delivery thread's client, with the hub's callback guard and pool size, when the hub uses one. */
export function deliveryThreadClient(config: Config, logger: Logger): ThreadedWebhookClient | undefined {
  const entry = webhookThreadEntry();
  if (!usesDeliveryThread(config.deliveryThread, entry !== undefined)) return undefined;
  return new ThreadedWebhookClient(entry as string, webhookSettings(config), logger);
}

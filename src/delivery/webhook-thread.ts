import { parentPort, workerData } from 'node:worker_threads';
import { webhookClientFor, type WebhookSettings } from './webhook-settings';
import { CLOSE, type ThreadAnswer, type ThreadRequest } from './webhook-thread-messages';

/**
 * The delivery thread (HUB_DELIVERY_THREAD, src/delivery/threaded-webhook-client.ts): plain HTTP
 * deliveries' requests run here, on a core of their own, under the same callback guard, pool and
 * deadlines as in the hub's thread. Requests come in batches and answers go back in batches, one
 * message per turn either way.
 */
function serve(settings: WebhookSettings): void {
  const port = parentPort;
  if (!port) throw new Error('webhook-thread runs as a worker thread');
  const { client } = webhookClientFor(settings);
  let answers: ThreadAnswer[] = [];
  const flush = () => {
    const batch = answers;
    answers = [];
    port.postMessage(batch);
  };
  port.on('message', (message: ThreadRequest[] | typeof CLOSE) => {
    if (message === CLOSE) {
      // The answers of the last requests go back before the port closes (the thread then ends).
      void client
        .close()
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .finally(() => {
          if (answers.length) flush();
          port.close();
        });
      return;
    }
    for (const [id, url, body, headers, timeoutMs] of message) {
      void client.post({ url, body, headers, timeoutMs }).then((result) => {
        if (answers.length === 0) setImmediate(flush);
        answers.push([id, result]);
      });
    }
  });
}

serve(workerData as WebhookSettings);

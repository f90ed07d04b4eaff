import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { WebhookRequest, WebhookResult } from './webhook-client';
import type { WebhookSettings } from './webhook-settings';
import { CLOSE, type ThreadAnswer, type ThreadRequest } from './webhook-thread-messages';

/** How long close() waits for the thread to end its connections before it ends the thread. */
const CLOSE_WAIT_MS = 5000;

/**
 * The compiled delivery thread beside this file, or undefined when the hub runs from its TypeScript
 * sources (jest, `npm run dev`), where a worker thread cannot load it.
 */
export function webhookThreadEntry(dir: string = __dirname): string | undefined {
  const entry = join(dir, 'webhook-thread.js');
  return existsSync(entry) ? entry : undefined;
}

/**
 * Plain HTTP deliveries' requests on a thread of their own (HUB_DELIVERY_THREAD): the exchange with
 * the listener (connections, TLS, HTTP parsing, the deadline) costs about two thirds of an attempt's
 * CPU, and here it runs beside the API rather than in turn with it. The hub's thread keeps what
 * reads or changes state (claims, the attempt's body and signature, the outcome and its record).
 *
 * Requests made in one turn go over in one message, and answers come back the same way. If the
 * thread stops unexpectedly, the attempts it held come back as failed (their deliveries are retried,
 * as after any failed attempt: nothing is lost, a listener may see one twice) and the next request
 * starts a new thread.
 */
export class ThreadedWebhookClient {
  private worker: { thread: Worker; sent: Set<number> } | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: WebhookResult) => void>();
  private outbox: ThreadRequest[] = [];
  private closed = false;

  constructor(
    private readonly entry: string,
    private readonly data: WebhookSettings,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  post(req: WebhookRequest): Promise<WebhookResult> {
    if (this.closed) return Promise.resolve({ error: 'the hub is stopping', durationMs: 0 });
    const id = this.nextId++;
    if (this.outbox.length === 0) setImmediate(() => this.flush());
    this.outbox.push([id, req.url, req.body, req.headers, req.timeoutMs]);
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Ends the thread once its requests are answered or cut (each within its own deadline), at most CLOSE_WAIT_MS. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const worker = this.worker?.thread;
    if (!worker) return;
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage(CLOSE);
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([ended.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    if (late) await worker.terminate();
  }

  private flush(): void {
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    const worker = this.worker ?? this.start();
    for (const [id] of batch) worker.sent.add(id);
    worker.thread.postMessage(batch);
  }

  private start(): { thread: Worker; sent: Set<number> } {
    const thread = new Worker(this.entry, { workerData: this.data });
    // What this thread was given and has not answered: what fails if it stops (a request still in the outbox goes to the next one).
    const worker = { thread, sent: new Set<number>() };
    // The hub's own handles (its server, its timers) decide when the process ends, not this thread.
    thread.unref();
    thread.on('message', (answers: ThreadAnswer[]) => {
      for (const [id, result] of answers) {
        worker.sent.delete(id);
        const resolve = this.waiting.get(id);
        if (!resolve) continue;
        this.waiting.delete(id);
        resolve(result);
      }
    });
    thread.on('error', (err) => this.logger.error('the delivery thread failed', { err }));
    thread.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (!this.closed) this.logger.error('the delivery thread stopped; its attempts in flight count as failed', { code, attempts: worker.sent.size });
      const error = this.closed ? 'the hub stopped before the listener answered' : `the delivery thread stopped (exit code ${code}) before the listener answered`;
      for (const id of worker.sent) {
        this.waiting.get(id)?.({ error, durationMs: 0 });
        this.waiting.delete(id);
      }
      worker.sent.clear();
    });
    this.worker = worker;
    return worker;
  }
}

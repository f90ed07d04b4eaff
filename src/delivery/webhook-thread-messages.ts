import type { WebhookResult } from './webhook-client';

/** One POST as the hub's thread sends it over: an id the answer carries back, then the request's fields. */
export type ThreadRequest = [id: number, url: string, body: string, headers: Record<string, string>, timeoutMs: number];
/** The answer to one request. */
export type ThreadAnswer = [id: number, result: WebhookResult];
/** The hub's thread asks the delivery thread to close its connections and end. */
export const CLOSE = 'close';

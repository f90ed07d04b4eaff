import type { Response } from 'supertest';
import type { DeliveryWorkerConfig } from '../../src/delivery/delivery-worker';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { pollUntil } from './poll';
import { API, buildTestApp, type TestApp } from './test-app';

/**
 * A hub with a worker for the credentials suites that keeps everything a secret could leak into:
 * every API answer (each held to the contract, delivery records included) and every log line (debug
 * included). `leaksOf` searches them, with the audit trail, for the suite's secrets and keys.
 * (Spans cannot be exported from inside jest, whose VM lacks the dynamic import the OTLP exporter
 * needs: spansOfProcess searches those of a hub process.)
 */
export class CredentialsHub {
  readonly answers: string[] = [];
  private constructor(
    readonly app: TestApp,
    readonly lines: string[],
  ) {}

  static async start(config: Partial<Config> = {}, worker: Partial<DeliveryWorkerConfig> = { retrySchedule: [50, 50, 50] }): Promise<CredentialsHub> {
    const lines: string[] = [];
    const app = await buildTestApp({ worker, logger: createLogger('debug', (line) => lines.push(line)), config });
    return new CredentialsHub(app, lines);
  }

  async call(method: 'get' | 'post' | 'delete', path: string, body?: unknown): Promise<Response> {
    const res = method === 'post' ? await this.app.client.post(`${API}${path}`, body) : await this.app.client[method](`${API}${path}`);
    this.answers.push(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
    return res;
  }

  /** The deliveries of a hub once `done` holds for them (read through the API, so kept as answers too). */
  async deliveriesOf(under: string, done: (items: any[]) => boolean, what: string): Promise<any[]> {
    return pollUntil(async () => {
      const items = (await this.call('get', `${under}/delivery?limit=1000`)).body as any[];
      return done(items) ? items : undefined;
    }, 15_000, what, 50);
  }

  /** Stops the hub and answers where each secret was found: in an answer, the audit trail or a log line. Empty when none leaked. */
  async leaksOf(secrets: readonly string[]): Promise<string[]> {
    const audit = await this.call('get', '/auditRecord?limit=1000');
    const places: Array<[string, string]> = [...this.answers.map((a) => ['answer', a] as [string, string]), ['audit', JSON.stringify(audit.body)]];
    await this.app.stop();
    places.push(...this.lines.map((l) => ['log', l] as [string, string]));
    const found = foundIn(places, secrets);
    if (this.lines.length < 10) found.push('hardly any log line: the search would prove nothing');
    return found;
  }
}

/** Where each secret shows among the texts, as readable lines (a secret shown by its first characters only). */
export function foundIn(places: ReadonlyArray<readonly [where: string, text: string]>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) for (const [where, text] of places) if (text.includes(secret)) found.push(`${secret.slice(0, 12)}... in a ${where}: ${text.slice(0, 160)}`);
  return found;
}

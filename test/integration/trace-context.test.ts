import { parseTraceparent } from '../../src/tracing/trace-context';
import { pollUntil } from '../helpers/poll';
import { startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

const PRODUCER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${PRODUCER_TRACE}-${PRODUCER_SPAN}-01`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number };
}

/** Every span an OTLP/HTTP JSON export carried. */
function spansOf(bodies: readonly any[]): OtlpSpan[] {
  return bodies.flatMap((body) => body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans as OtlpSpan[])));
}
const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe('W3C trace context', () => {
  let listener: TestReceiver;
  let collector: TestReceiver;
  let hub: TestApp | undefined;
  let topicId: string;

  const start = async (config: Record<string, unknown> = {}) => {
    hub = await buildTestApp({ worker: { retrySchedule: [30] }, config });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    expect((await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: listener.url('/listener') })).status).toBe(201);
  };
  const publish = async (headers: Record<string, string> = {}) => {
    const res = await hub!.client.post(`${API}/topic/${topicId}/event`, { eventType: 'OrderCreate', event: { order: { id: 'o1' } } }, headers);
    expect(res.status).toBe(201);
    return res.body;
  };
  const arrivals = (count: number) =>
    pollUntil(async () => (listener.requests.length >= count ? listener.requests : undefined), 5000, `${count} deliveries`, 20);

  beforeEach(async () => {
    listener = await TestReceiver.start();
    collector = await TestReceiver.start(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
  });

  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
    await listener.close();
    await collector.close();
  });

  describe('without an exporter', () => {
    beforeEach(() => start());

    it("should send each attempt as a child of the producer's trace, with a span id of its own, and pass tracestate on", async () => {
      listener.responder = (_req, index) => ({ status: index === 0 ? 503 : 204 });
      await publish({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
      const [first, retry] = await arrivals(2);
      const contexts = [first, retry].map((req) => parseTraceparent(String(req.headers.traceparent)));
      for (const context of contexts) {
        expect(context).toMatchObject({ traceId: PRODUCER_TRACE, flags: '01' });
        expect(context!.spanId).not.toBe(PRODUCER_SPAN);
      }
      expect(contexts[0]!.spanId).not.toBe(contexts[1]!.spanId);
      expect(first.headers.tracestate).toBe('vendor=abc');
    });

    it.each<[string, Record<string, string>]>([
      ['no traceparent', {}],
      ['an invalid traceparent', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }],
      ['a malformed traceparent', { traceparent: 'not a traceparent', tracestate: 'vendor=abc' }],
    ])('should start a new trace for %s', async (_case, headers) => {
      await publish(headers);
      const [req] = await arrivals(1);
      const context = parseTraceparent(String(req.headers.traceparent));
      expect(context).toBeDefined();
      expect(context!.traceId).not.toBe('0'.repeat(32));
      expect(req.headers.tracestate).toBeUndefined();
    });
  });

  // The built process (as `npm start` runs it): the OTLP exporter loads its HTTP transport with a
  // dynamic import(), which jest's module sandbox cannot run.
  describe('with OTEL_EXPORTER_OTLP_ENDPOINT (the built hub process)', () => {
    let proc: HubProcess | undefined;
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${proc!.baseUrl}${API}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const stopAndCollect = async () => {
      proc!.child.kill('SIGTERM');
      expect(await proc!.exited).toBe(0);
      proc = undefined;
      const exports = collector.requestsTo('/v1/traces');
      expect(exports.length).toBeGreaterThan(0);
      expect(exports[0].headers['content-type']).toMatch(/^application\/json/);
      return { exports, spans: spansOf(exports.map((r) => r.json)) };
    };

    beforeEach(async () => {
      proc = await startHubProcess({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url(''),
        HUB_RETRY_SCHEDULE: '100ms',
        HUB_DELIVERY_POLL: '50ms',
        HUB_DB_NAME: `trace_${Date.now()}`,
      });
      topicId = (await call('POST', '/topic', { name: 'orders' })).body.id;
      expect((await call('POST', `/topic/${topicId}/hub`, { callback: listener.url('/listener') })).status).toBe(201);
    });

    afterEach(async () => {
      proc?.child.kill('SIGKILL');
      await proc?.exited;
    });

    it('should export the publish span (child of the producer) and one span per attempt (children of the publish) over OTLP/HTTP', async () => {
      listener.responder = (_req, index) => ({ status: index === 0 ? 500 : 204 });
      const event = (await call('POST', `/topic/${topicId}/event`, { eventType: 'OrderCreate' }, { traceparent: TRACEPARENT })).body;
      const attempts = await arrivals(2);
      const { exports, spans } = await stopAndCollect();
      const publishSpan = spans.find((s) => s.name === 'publish');
      expect(publishSpan).toMatchObject({ traceId: PRODUCER_TRACE, parentSpanId: PRODUCER_SPAN, kind: 4 });
      expect(attribute(publishSpan!, 'tmf688.event.id')).toBe(event.id);
      const attemptSpans = spans.filter((s) => s.name === 'deliver');
      expect(attemptSpans).toHaveLength(2);
      for (const span of attemptSpans) expect(span).toMatchObject({ traceId: PRODUCER_TRACE, parentSpanId: publishSpan!.spanId, kind: 3 });
      // The listener's traceparent points at the attempt span that sent it.
      const sentSpanIds = attempts.map((req) => parseTraceparent(String(req.headers.traceparent))!.spanId);
      expect(attemptSpans.map((s) => s.spanId).sort()).toEqual([...sentSpanIds].sort());
      const byAttempt = new Map(attemptSpans.map((s) => [Number(attribute(s, 'tmf688.delivery.attempt')), s]));
      expect(attribute(byAttempt.get(1)!, 'tmf688.delivery.outcome')).toBe('retry');
      expect(Number(attribute(byAttempt.get(1)!, 'http.response.status_code'))).toBe(500);
      expect(byAttempt.get(1)!.status?.code).toBe(2);
      expect(attribute(byAttempt.get(2)!, 'tmf688.delivery.outcome')).toBe('delivered');
      expect(exports[0].json.resourceSpans[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'tmf688-hub' } });
    });

    it('should start a root publish span when the producer sent no trace context', async () => {
      await call('POST', `/topic/${topicId}/event`, { eventType: 'OrderCreate' });
      const [req] = await arrivals(1);
      const { spans } = await stopAndCollect();
      const publishSpan = spans.find((s) => s.name === 'publish')!;
      expect(publishSpan.parentSpanId ?? '').toBe('');
      expect(parseTraceparent(String(req.headers.traceparent))!.traceId).toBe(publishSpan.traceId);
    });
  });
});

import { Webhook } from 'standardwebhooks';
import { attemptRequest } from '../../src/delivery/attempt-request';
import type { Delivery } from '../../src/store/delivery-types';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PAYLOAD = JSON.stringify({ id: 'e1', eventType: 'E', event: { order: { id: 'o1' } } });
const NOW = Date.UTC(2024, 4, 1, 10, 0, 0);
const CE = { source: 'https://hub/topic/t1', type: 'E', time: '2024-05-01T10:00:00.000Z', subject: 'o1' };
const TRACE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' };

const delivery = (extra: Partial<Delivery> = {}): Pick<Delivery, 'id' | 'payload' | 'cloudEvent'> => ({ id: 'd1', payload: PAYLOAD, ...extra });
const verify = (body: string, headers: Record<string, string>) => new Webhook(SECRET).verify(body, { ...headers });

describe('attemptRequest', () => {
  it('should send the plain notification as it was serialised, with no CloudEvents or trace header unless given', () => {
    const { body, headers } = attemptRequest({ delivery: delivery(), attemptNumber: 1, now: NOW, secrets: [] });
    expect(body).toBe(PAYLOAD);
    expect(headers).toEqual({ 'content-type': 'application/json', 'user-agent': 'tmf688-hub', 'webhook-id': 'd1', 'webhook-timestamp': String(NOW / 1000), 'webhook-attempt': '1' });
  });

  it.each<[string, Partial<Delivery>, (body: string, headers: Record<string, string>) => void]>([
    ['plain', {}, (body, headers) => {
      expect(body).toBe(PAYLOAD);
      expect(headers['content-type']).toBe('application/json');
    }],
    ['structured', { cloudEvent: { mode: 'structured', ...CE } }, (body, headers) => {
      expect(headers['content-type']).toBe('application/cloudevents+json');
      expect(JSON.parse(body)).toEqual({ specversion: '1.0', id: 'd1', ...CE, datacontenttype: 'application/json', data: JSON.parse(PAYLOAD) });
      expect(Object.keys(headers).some((h) => h.startsWith('ce-'))).toBe(false);
    }],
    ['binary', { cloudEvent: { mode: 'binary', ...CE } }, (body, headers) => {
      expect(body).toBe(PAYLOAD);
      expect(headers).toMatchObject({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'd1', 'ce-source': CE.source, 'ce-type': 'E', 'ce-time': CE.time, 'ce-subject': 'o1' });
    }],
  ])('should format %s mode, signed over the body sent, with the attempt span as traceparent', (_mode, extra, check) => {
    const { body, headers } = attemptRequest({ delivery: delivery(extra), attemptNumber: 2, now: Date.now(), secrets: [SECRET], trace: { ...TRACE, tracestate: 'a=1' } });
    check(body, headers);
    expect(headers.traceparent).toBe(`00-${TRACE.traceId}-${TRACE.spanId}-01`);
    expect(headers.tracestate).toBe('a=1');
    expect(headers['webhook-attempt']).toBe('2');
    expect(() => verify(body, headers)).not.toThrow();
  });

  it('should build the same structured body on every attempt (the id is the delivery id)', () => {
    const d = delivery({ cloudEvent: { mode: 'structured', ...CE } });
    expect(attemptRequest({ delivery: d, attemptNumber: 1, now: NOW, secrets: [] }).body).toBe(attemptRequest({ delivery: d, attemptNumber: 3, now: NOW + 5000, secrets: [] }).body);
  });
});

import { Webhook } from 'standardwebhooks';
import { attemptHeaders } from '../../src/delivery/attempt-headers';

const NOW = Date.parse('2024-05-01T12:00:00.750Z');
const SECRET_A = `whsec_${Buffer.from('secret-a-0123456789abcdef').toString('base64')}`;
const SECRET_B = `whsec_${Buffer.from('secret-b-0123456789abcdef').toString('base64')}`;
const PAYLOAD = '{"eventType":"X"}';

describe('attemptHeaders', () => {
  it.each<[string, number, readonly string[], Record<string, string | undefined>]>([
    ['the first attempt, unsigned', 1, [], { 'webhook-attempt': '1', 'webhook-signature': undefined }],
    ['a later attempt, unsigned', 4, [], { 'webhook-attempt': '4', 'webhook-signature': undefined }],
  ])('should build %s', (_case, attemptNumber, secrets, expected) => {
    const headers = attemptHeaders({ deliveryId: 'd-1', attemptNumber, now: NOW, payload: PAYLOAD, secrets });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'tmf688-hub',
      'webhook-id': 'd-1',
      'webhook-timestamp': String(Math.floor(NOW / 1000)),
      ...Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)),
    });
  });

  it('should say webhook-replay: true on a replayed delivery, and nothing on others', () => {
    const base = { deliveryId: 'd-3', attemptNumber: 1, now: NOW, payload: PAYLOAD, secrets: [] };
    expect(attemptHeaders({ ...base, replay: true })['webhook-replay']).toBe('true');
    expect(attemptHeaders({ ...base, replay: false })).not.toHaveProperty('webhook-replay');
    expect(attemptHeaders(base)).not.toHaveProperty('webhook-replay');
  });

  it('should sign with one secret so that standardwebhooks verifies, and another secret does not', () => {
    const headers = attemptHeaders({ deliveryId: 'd-1', attemptNumber: 1, now: NOW, payload: PAYLOAD, secrets: [SECRET_A] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    // The timestamp is part of what is signed: with another one the signature no longer verifies.
    const restamped = () => new Webhook(SECRET_A).verify(PAYLOAD, { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) });
    // Verification checks the timestamp window, so sign at the present to test the signature alone.
    const fresh = attemptHeaders({ deliveryId: 'd-1', attemptNumber: 1, now: Date.now(), payload: PAYLOAD, secrets: [SECRET_A] });
    expect(() => new Webhook(SECRET_A).verify(PAYLOAD, fresh)).not.toThrow();
    expect(() => new Webhook(SECRET_B).verify(PAYLOAD, fresh)).toThrow();
    expect(restamped).toThrow();
  });

  it('should carry one signature per secret, space-separated, so a holder of either verifies', () => {
    const headers = attemptHeaders({ deliveryId: 'd-2', attemptNumber: 2, now: Date.now(), payload: PAYLOAD, secrets: [SECRET_A, SECRET_B] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(SECRET_A).verify(PAYLOAD, headers)).not.toThrow();
    expect(() => new Webhook(SECRET_B).verify(PAYLOAD, headers)).not.toThrow();
  });
});

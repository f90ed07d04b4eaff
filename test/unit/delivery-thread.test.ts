import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usesDeliveryThread } from '../../src/delivery/delivery-thread';
import { webhookThreadEntry } from '../../src/delivery/threaded-webhook-client';
import { webhookClientFor, webhookSettings } from '../../src/delivery/webhook-settings';

describe('usesDeliveryThread (HUB_DELIVERY_THREAD)', () => {
  it.each<[string, 'on' | 'off', boolean, boolean]>([
    ['on, compiled: on', 'on', true, true],
    ['off, compiled: off (the default)', 'off', true, false],
    ['off, from the sources: off', 'off', false, false],
  ])('%s', (_name, setting, compiled, uses) => {
    expect(usesDeliveryThread(setting, compiled)).toBe(uses);
  });

  it('should refuse on when the hub runs from its TypeScript sources, saying what to do', () => {
    expect(() => usesDeliveryThread('on', false)).toThrow('HUB_DELIVERY_THREAD=on needs the compiled hub (npm run build, then npm start)');
  });
});

describe('webhookThreadEntry', () => {
  it('should find the compiled thread beside it, and nothing where there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thread-entry-'));
    expect(webhookThreadEntry(dir)).toBeUndefined();
    writeFileSync(join(dir, 'webhook-thread.js'), '');
    expect(webhookThreadEntry(dir)).toBe(join(dir, 'webhook-thread.js'));
  });

  it('should find none beside the TypeScript sources (jest runs them)', () => {
    expect(webhookThreadEntry(join(__dirname, '../../src/delivery'))).toBeUndefined();
  });
});

describe('webhookSettings and webhookClientFor (one construction for both threads)', () => {
  it("should carry the hub's callback policy, allow list and pool size", () => {
    expect(webhookSettings({ callbackPolicy: 'public-only', callbackAllow: ['10.1.0.0/16'], deliveryConcurrency: 64 })).toEqual({
      guard: { policy: 'public-only', allow: ['10.1.0.0/16'] },
      connectionsPerOrigin: 64,
    });
  });

  it.each<[string, 'public-only' | 'private-allowed', string[], string, boolean]>([
    ['public-only refuses a private address', 'public-only', [], '10.1.2.3', true],
    ['public-only lets an allowed CIDR through', 'public-only', ['10.1.0.0/16'], '10.1.2.3', false],
    ['private-allowed lets a private address through', 'private-allowed', [], '10.1.2.3', false],
  ])('%s: the guard the client is built with decides', async (_name, callbackPolicy, callbackAllow, ip, refused) => {
    const { guard, client } = webhookClientFor(webhookSettings({ callbackPolicy, callbackAllow, deliveryConcurrency: 4 }));
    try {
      expect(guard.refusal(ip) !== undefined).toBe(refused);
    } finally {
      await client.close();
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usesDeliveryThread } from '../../src/delivery/delivery-thread';
import { webhookThreadEntry } from '../../src/delivery/threaded-webhook-client';

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

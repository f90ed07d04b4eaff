import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usesDeliveryThread } from '../../src/delivery/delivery-thread';
import { webhookThreadEntry } from '../../src/delivery/threaded-webhook-client';

describe('usesDeliveryThread (HUB_DELIVERY_THREAD)', () => {
  it.each<[string, 'auto' | 'on' | 'off', number, boolean, boolean]>([
    ['auto, 2 cores, compiled: on', 'auto', 2, true, true],
    ['auto, 8 cores, compiled: on', 'auto', 8, true, true],
    ['auto, 1 core: off (the thread would only take turns with the API)', 'auto', 1, true, false],
    ['auto, from the TypeScript sources: off', 'auto', 2, false, false],
    ['on, 1 core: on (asked for)', 'on', 1, true, true],
    ['off, 8 cores: off', 'off', 8, true, false],
    ['off, from the sources: off', 'off', 8, false, false],
  ])('%s', (_name, setting, cores, compiled, uses) => {
    expect(usesDeliveryThread(setting, cores, compiled)).toBe(uses);
  });

  it('should refuse on when the hub runs from its TypeScript sources, saying what to do', () => {
    expect(() => usesDeliveryThread('on', 2, false)).toThrow('HUB_DELIVERY_THREAD=on needs the compiled hub (npm run build, then npm start)');
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

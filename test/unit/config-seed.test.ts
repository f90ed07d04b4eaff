import { loadConfig } from '../../src/config';

describe('loadConfig: HUB_SEED', () => {
  it('should not seed by default', () => {
    expect(loadConfig({}).seed).toBe(false);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['FALSE', false],
    ['0', false],
  ])('should read HUB_SEED=%s', (value, seed) => {
    expect(loadConfig({ HUB_SEED: value }).seed).toBe(seed);
  });

  it('should refuse anything else, naming the variable', () => {
    expect(() => loadConfig({ HUB_SEED: 'yes' })).toThrow(/^Invalid configuration: HUB_SEED must be true or false, got "yes"$/);
  });
});

import { requestIdFrom } from '../../src/http/request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['abc-123', 'trace.1_2-3', 'x'.repeat(128)])('should keep the incoming id %s', (incoming) => {
    expect(requestIdFrom(incoming)).toBe(incoming);
  });

  it.each<[string, string | string[] | undefined]>([
    ['none', undefined],
    ['an empty one', ''],
    ['one too long', 'x'.repeat(129)],
    ['one with a space', 'a b'],
    ['one with a line break', 'a\nX-Injected: 1'],
    ['two joined', 'a, b'],
    ['a repeated header', ['a', 'b']],
  ])('should make a new id for %s', (_case, incoming) => {
    const id = requestIdFrom(incoming);
    expect(id).toMatch(UUID);
    expect(requestIdFrom(incoming)).not.toBe(id);
  });
});

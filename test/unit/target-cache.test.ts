import { parseTarget, TargetCache } from '../../src/delivery/target-cache';

describe('callback targets', () => {
  it.each<[string, ReturnType<typeof parseTarget>]>([
    ['http://listener.example/cb', { origin: 'http://listener.example', path: '/cb', host: 'listener.example' }],
    ['https://listener.example:8443/a/b?token=x&y=1#frag', { origin: 'https://listener.example:8443', path: '/a/b?token=x&y=1', host: 'listener.example' }],
    ['http://[::1]:9000/', { origin: 'http://[::1]:9000', path: '/', host: '::1' }],
    ['http://listener.example', { origin: 'http://listener.example', path: '/', host: 'listener.example' }],
    ['/relative', '"/relative" is not an absolute URL'],
    ['ftp://listener.example/x', 'the scheme must be http or https, not ftp'],
  ])('should take %s apart', (url, expected) => {
    expect(parseTarget(url)).toEqual(expected);
  });

  it('should parse a URL once and answer it from memory after', () => {
    const cache = new TargetCache();
    const first = cache.get('http://listener.example/cb');
    expect(cache.get('http://listener.example/cb')).toBe(first);
  });
});

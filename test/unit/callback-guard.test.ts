import type { LookupAddress } from 'node:dns';
import { CallbackGuard } from '../../src/delivery/callback-guard';
import { embeddedIPv4, ipv6Bytes } from '../../src/delivery/ip-ranges';

const privateAllowed = new CallbackGuard({ policy: 'private-allowed', allow: [] });
const publicOnly = new CallbackGuard({ policy: 'public-only', allow: [] });

const ALWAYS_REFUSED = [
  '169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16',
  '0.0.0.0', '0.1.2.3', '::', '224.0.0.1', '239.255.255.250', 'ff02::1', '255.255.255.255',
  // The metadata address in IPv6 clothing: IPv4-mapped, IPv4-compatible, NAT64 and 6to4.
  '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::169.254.169.254', '64:ff9b::a9fe:a9fe', '64:ff9b::169.254.169.254', '2002:a9fe:a9fe::1',
];
const PRIVATE = [
  '127.0.0.1', '127.255.0.9', '::1', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.1',
  '100.64.0.1', '100.127.255.254', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '64:ff9b::a00:1', '2002:c0a8:101::',
];
const PUBLIC = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.63.255.255', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'];

describe('CallbackGuard', () => {
  it.each(ALWAYS_REFUSED)('should refuse %s in every mode', (ip) => {
    expect(privateAllowed.refusal(ip)).toMatch(/link-local|metadata|this network|unspecified|multicast|broadcast/);
    expect(publicOnly.refusal(ip)).toBeDefined();
  });

  it.each(PRIVATE)('should refuse %s in public-only mode only', (ip) => {
    expect(publicOnly.refusal(ip)).toMatch(/public-only/);
    expect(privateAllowed.refusal(ip)).toBeUndefined();
  });

  it.each(PUBLIC)('should allow the public address %s in both modes', (ip) => {
    expect(publicOnly.refusal(ip)).toBeUndefined();
    expect(privateAllowed.refusal(ip)).toBeUndefined();
  });

  it('should let HUB_CALLBACK_ALLOW ranges through public-only, but never the metadata ranges', () => {
    const guard = new CallbackGuard({ policy: 'public-only', allow: ['10.20.0.0/16', '169.254.0.0/16', '::1/128'] });
    expect(guard.refusal('10.20.5.5')).toBeUndefined();
    expect(guard.refusal('::1')).toBeUndefined();
    expect(guard.refusal('10.21.0.1')).toMatch(/public-only/);
    expect(guard.refusal('169.254.169.254')).toMatch(/metadata/);
  });

  it.each([
    ['ftp://example.com/x', /scheme must be http or https/],
    ['file:///etc/passwd', /scheme must be http or https/],
    ['not a url', /not an absolute URL/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[fd00:ec2::254]/', /metadata/],
    ['http://[::ffff:169.254.169.254]:8080/', /link-local/],
  ])('urlRefusal(%s) should refuse', (url, why) => {
    expect(privateAllowed.urlRefusal(url)).toMatch(why);
  });

  it('urlRefusal should pass http(s) URLs with hostnames or allowed literals', () => {
    expect(privateAllowed.urlRefusal('https://listener.example.com/cb')).toBeUndefined();
    expect(privateAllowed.urlRefusal('http://127.0.0.1:9000/cb')).toBeUndefined();
    expect(publicOnly.urlRefusal('http://127.0.0.1:9000/cb')).toMatch(/loopback/);
  });

  describe('with a resolver the test controls', () => {
    const answers = new Map<string, LookupAddress[]>();
    const resolver = (host: string, _opts: { all: true }, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) => {
      const found = answers.get(host);
      if (found) cb(null, found);
      else cb(Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
    };
    const guard = new CallbackGuard({ policy: 'public-only', allow: [] }, resolver);
    beforeEach(() => {
      answers.clear();
      answers.set('public.test', [{ address: '93.184.216.34', family: 4 }]);
      answers.set('metadata.test', [{ address: '169.254.169.254', family: 4 }]);
      answers.set('mixed.test', [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }]);
    });

    it('should refuse at creation a host that resolves to a refused address, naming it', async () => {
      await expect(guard.creationRefusal('http://metadata.test/x')).resolves.toBe('metadata.test resolves to 169.254.169.254 is link-local (cloud metadata)');
      await expect(guard.creationRefusal('http://mixed.test/x')).resolves.toMatch(/10\.0\.0\.1 is private/);
      await expect(guard.creationRefusal('http://public.test/x')).resolves.toBeUndefined();
      // A host that does not resolve yet is checked when connecting instead.
      await expect(guard.creationRefusal('http://later.test/x')).resolves.toBeUndefined();
    });

    it('should refuse at connect time when the name now resolves to a refused address (DNS rebinding)', async () => {
      await expect(guard.creationRefusal('http://rebind.test/x')).resolves.toBeUndefined();
      answers.set('rebind.test', [{ address: '93.184.216.34', family: 4 }]);
      await expect(guard.creationRefusal('http://rebind.test/x')).resolves.toBeUndefined();
      answers.set('rebind.test', [{ address: '127.0.0.1', family: 4 }]);
      const result = await new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
        guard.lookup('rebind.test', { all: true }, (err, address) => resolve({ err, address })),
      );
      expect(result.err?.message).toBe('refused: rebind.test resolves to 127.0.0.1 is loopback, refused by HUB_CALLBACK_POLICY=public-only');
    });

    it('lookup should answer like dns.lookup for allowed addresses, in both call forms', async () => {
      const one = await new Promise<unknown[]>((resolve) => guard.lookup('public.test', {}, (err, address, family) => resolve([err, address, family])));
      expect(one).toEqual([null, '93.184.216.34', 4]);
      const all = await new Promise<unknown[]>((resolve) => guard.lookup('public.test', { all: true }, (err, address) => resolve([err, address])));
      expect(all).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]);
      const missing = await new Promise<NodeJS.ErrnoException | null>((resolve) => guard.lookup('nowhere.test', {}, (err) => resolve(err)));
      expect(missing?.code).toBe('ENOTFOUND');
    });
  });
});

describe('ip-ranges helpers', () => {
  it.each([
    ['::ffff:1.2.3.4', ['1.2.3.4']],
    ['::1.2.3.4', ['1.2.3.4']],
    ['64:ff9b::102:304', ['1.2.3.4']],
    ['2002:102:304::1', ['1.2.3.4']],
    ['2001:db8::1', []],
    ['::1', []],
    ['::', []],
    ['1.2.3.4', []],
  ])('embeddedIPv4(%s) should be %j', (ip, expected) => {
    expect(embeddedIPv4(ip)).toEqual(expected);
  });

  it('ipv6Bytes should expand :: and dotted tails', () => {
    expect(Array.from(ipv6Bytes('::1'))).toEqual([...new Array(15).fill(0), 1]);
    expect(Array.from(ipv6Bytes('fe80::1%eth0')).slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(Array.from(ipv6Bytes('::ffff:10.0.0.1')).slice(10)).toEqual([0xff, 0xff, 10, 0, 0, 1]);
  });
});

import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A named set of CIDR ranges; `reason(ip)` names the first range an address falls in. */
export class IpRanges {
  private readonly ranges: Array<{ label: string; list: BlockList }> = [];

  /** `cidr` like 169.254.0.0/16 or fe80::/10; `label` says why it is listed. */
  add(cidr: string, label: string): this {
    const [address, bits] = cidr.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = Number(bits ?? (family === 'ipv4' ? 32 : 128));
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) {
      throw new Error(`"${cidr}" is not a CIDR range`);
    }
    const list = new BlockList();
    list.addSubnet(address, prefix, family);
    this.ranges.push({ label, list });
    return this;
  }

  /** The label of the first range containing the address or an IPv4 address embedded in it. */
  reason(ip: string): string | undefined {
    for (const candidate of [ip, ...embeddedIPv4(ip)]) {
      const family = isIPv4(candidate) ? 'ipv4' : 'ipv6';
      const hit = this.ranges.find((r) => r.list.check(candidate, family));
      if (hit) return hit.label;
    }
    return undefined;
  }
}

/**
 * IPv4 addresses carried inside an IPv6 one, which reach the IPv4 host: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16, bits 16-47).
 */
export function embeddedIPv4(ip: string): string[] {
  if (!isIPv6(ip)) return [];
  const bytes = ipv6Bytes(ip);
  const v4 = (offset: number) => Array.from(bytes.subarray(offset, offset + 4)).join('.');
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  const out: string[] = [];
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) out.push(v4(12));
  // IPv4-compatible (deprecated): a non-zero first octet keeps ::1 and :: out of it.
  if (zeros(0, 12) && bytes[12] !== 0) out.push(v4(12));
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) out.push(v4(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) out.push(v4(2));
  return out;
}

/** The 16 bytes of an IPv6 address, with `::` expanded and a dotted IPv4 tail read. */
export function ipv6Bytes(ip: string): Uint8Array {
  let text = ip.split('%')[0].toLowerCase();
  const words: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  words.push(...left, ...new Array(8 - left.length - right.length).fill(0), ...right);
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

import { InvalidValue, type Parser } from './parsers';

/**
 * A broker URL with one of `schemes` and a host, or with `list`, several comma-separated ones (NATS
 * servers). Never echoed in a refusal: it may carry a password.
 */
export function brokerUrl(schemes: readonly string[], { list = false } = {}): Parser<string> {
  const shape = `${schemes.map((s) => `${s}://`).join(' or ')} followed by a host`;
  return {
    parse(raw) {
      const parts = list ? raw.split(',').map((part) => part.trim()).filter(Boolean) : [raw];
      for (const part of parts) {
        let url: URL | undefined;
        try {
          url = new URL(part);
        } catch {
          url = undefined;
        }
        if (!url || !schemes.includes(url.protocol.slice(0, -1)) || url.hostname === '') {
          throw new InvalidValue(`must ${list ? 'be comma-separated URLs that each ' : ''}start with ${shape} (the value is not shown: it may carry a password)`);
        }
      }
      return parts.join(',');
    },
    format: (value) => value,
  };
}

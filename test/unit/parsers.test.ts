import {
  apiKeyList,
  boolean,
  byteSize,
  cidrList,
  duration,
  durationList,
  exactHttpUrl,
  formatDuration,
  heapLimit,
  httpUrl,
  integer,
  InvalidValue,
  mongoUrl,
  oneOf,
  parseDuration,
  readableFile,
  urlTemplate,
  type Parser,
} from '../../src/config/parsers';

function problem<T>(parser: Parser<T>, raw: string): string {
  try {
    parser.parse(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidValue);
    return (err as InvalidValue).problem;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('parseDuration', () => {
  it.each<[string, number | undefined]>([
    ['500ms', 500],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['30d', 2_592_000_000],
    ['250', 250],
    [' 2 S ', 2_000],
    ['0', 0],
    ['5 minutes', undefined],
    ['-1s', undefined],
    ['', undefined],
  ])('should read %j as %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0'],
    [1, '1ms'],
    [1_500, '1500ms'],
    [5_000, '5s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [21_600_000, '6h'],
    [2_592_000_000, '30d'],
  ])('should write %d as %s, which parseDuration reads back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parsers', () => {
  it.each<[string, Parser<unknown>, string, unknown]>([
    ['integer', integer(0, 10), '7', 7],
    ['integer at its bound', integer(0, 10), '10', 10],
    ['oneOf, any case', oneOf(['a-b', 'c'] as const), 'A-B', 'a-b'],
    ['boolean 1', boolean, '1', true],
    ['boolean FALSE', boolean, 'FALSE', false],
    ['duration at its minimum', duration(10), '10ms', 10],
    ['durationList', durationList, '100ms, 2s,1m', [100, 2_000, 60_000]],
    ['durationList none', durationList, 'NONE', []],
    ['byteSize kb', byteSize, '512KB', 524_288],
    ['byteSize bytes', byteSize, '100b', 100],
    ['heapLimit auto', heapLimit, 'AUTO', 'auto'],
    ['heapLimit off', heapLimit, 'off', 'off'],
    ['heapLimit size', heapLimit, '768mb', 805_306_368],
    ['heapLimit smallest', heapLimit, '128mb', 134_217_728],
    ['httpUrl without trailing slashes', httpUrl, 'https://hub.example.com/base//', 'https://hub.example.com/base'],
    ['exactHttpUrl with its trailing slash', exactHttpUrl, 'https://idp.example.com/realms/csp/', 'https://idp.example.com/realms/csp/'],
    ['readableFile', readableFile, __filename, __filename],
    ['mongoUrl +srv', mongoUrl, 'mongodb+srv://cluster.example.net', 'mongodb+srv://cluster.example.net'],
    ['cidrList', cidrList, '10.20.0.0/16, fd12::/16,', ['10.20.0.0/16', 'fd12::/16']],
    ['apiKeyList', apiKeyList, 'first-key-0123456789 , second-key-0123456789', ['first-key-0123456789', 'second-key-0123456789']],
    ['urlTemplate', urlTemplate(['name', 'port']), 'http://{name}.svc:{port}/', 'http://{name}.svc:{port}'],
    ['urlTemplate without placeholders', urlTemplate(['name']), 'https://gateway.example.com/oda', 'https://gateway.example.com/oda'],
  ])('should read %s', (_label, parser, raw, value) => {
    expect(parser.parse(raw)).toEqual(value);
  });

  it.each<[string, Parser<unknown>, string, string]>([
    ['integer below', integer(1, 10), '0', 'must be an integer from 1 to 10, got "0"'],
    ['integer fraction', integer(1, 10), '1.5', 'must be an integer from 1 to 10, got "1.5"'],
    ['oneOf', oneOf(['a', 'b'] as const), 'C', 'must be one of a, b, got "c"'],
    ['boolean', boolean, 'Yes', 'must be true or false, got "yes"'],
    ['duration below its minimum', duration(10), '9ms', 'must be a duration of at least 10ms such as 500ms, 5s or 2m, got "9ms"'],
    ['durationList with a gap', durationList, '5s,,1m', 'must be comma-separated durations such as 5s,30s,2m (or none), got "5s,,1m"'],
    ['byteSize zero', byteSize, '0', 'must be a size such as 1048576, 512kb or 1mb, got "0"'],
    ['byteSize gb', byteSize, '1GB', 'must be a size such as 1048576, 512kb or 1mb, got "1gb"'],
    ['heapLimit word', heapLimit, 'max', 'must be auto, off or a size such as 768mb, got "max"'],
    ['heapLimit too small', heapLimit, '127mb', 'must be at least 128mb, got "127mb"'],
    ['heapLimit zero', heapLimit, '0', 'must be auto, off or a size such as 768mb, got "0"'],
    ['httpUrl ftp', httpUrl, 'ftp://x', 'must be an absolute http(s) URL, got "ftp://x"'],
    ['httpUrl relative', httpUrl, '/base', 'must be an absolute http(s) URL, got "/base"'],
    ['exactHttpUrl relative', exactHttpUrl, 'realms/csp', 'must be an absolute http(s) URL, got "realms/csp"'],
    ['readableFile missing', readableFile, '/nonexistent/file.pem', 'must be a readable file: "/nonexistent/file.pem" cannot be read (ENOENT)'],
    ['readableFile a directory', readableFile, '/', 'must be a file, got the directory "/"'],
    ['mongoUrl', mongoUrl, 'mongodb://', 'must start with mongodb:// or mongodb+srv:// followed by a host'],
    ['cidrList without bits', cidrList, '10.0.0.0', 'must be comma-separated CIDR ranges such as 10.20.0.0/16 or fd12::/16, got "10.0.0.0"'],
    ['cidrList v6 too long', cidrList, 'fd12::/129', 'must be comma-separated CIDR ranges such as 10.20.0.0/16 or fd12::/16, got "fd12::/129"'],
    ['apiKeyList short', apiKeyList, 'short', 'must be keys of at least 16 characters without spaces'],
    ['urlTemplate with an unknown placeholder', urlTemplate(['name', 'port']), 'http://{host}:{port}', 'may hold only the placeholders {name}, {port}, got {host}'],
    ['urlTemplate that makes no http(s) URL', urlTemplate(['name']), '{name}/callbacks', 'must be an absolute http(s) URL, got "x/callbacks"'],
  ])('should refuse %s', (_label, parser, raw, message) => {
    expect(problem(parser, raw)).toBe(message);
  });

  it.each<[string, Parser<unknown>, unknown, string]>([
    ['integer', integer(0), 8080, '8080'],
    ['boolean', boolean, true, 'true'],
    ['durationList', durationList, [5_000, 1_800_000], '5s,30m'],
    ['empty durationList', durationList, [], 'none'],
    ['byteSize mb', byteSize, 1_048_576, '1mb'],
    ['byteSize kb', byteSize, 524_288, '512kb'],
    ['byteSize not a whole kb', byteSize, 1_536, '1536'],
    ['heapLimit auto', heapLimit, 'auto', 'auto'],
    ['heapLimit size', heapLimit, 805_306_368, '768mb'],
    ['cidrList', cidrList, ['10.0.0.0/8', 'fd12::/16'], '10.0.0.0/8,fd12::/16'],
  ])('should write a %s value as text it reads back', (_label, parser, value, text) => {
    expect(parser.format(value)).toBe(text);
    expect(parser.parse(text)).toEqual(value);
  });

  it('should mark only the boolean parser as a command-line flag', () => {
    expect(boolean.flag).toBe(true);
    expect([integer(0), duration(0), durationList, byteSize, httpUrl, cidrList].map((p) => p.flag)).toEqual(Array(6).fill(undefined));
  });
});

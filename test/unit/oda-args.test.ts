import { DEFAULT_HUB_URL, parseOdaArgs, type OdaArgs } from '../../src/cli/oda-args';
import { UsageError } from '../../src/cli/parse-args';

describe('parseOdaArgs (tmf688-hub oda ...)', () => {
  it.each<[string[], Record<string, string>, OdaArgs]>([
    [['apply', 'c.yaml'], {}, { action: 'apply', target: 'c.yaml', url: DEFAULT_HUB_URL }],
    [['get', 'c1', '--url', 'https://hub.example/'], {}, { action: 'get', target: 'c1', url: 'https://hub.example' }],
    [['--key=k1', 'delete', 'c1'], {}, { action: 'delete', target: 'c1', url: DEFAULT_HUB_URL, bearer: 'k1' }],
    [['apply', 'c.yaml', '--token', 't1'], { TMF688_HUB_TOKEN: 'env-token', TMF688_HUB_URL: 'http://h:1' }, { action: 'apply', target: 'c.yaml', url: 'http://h:1', bearer: 't1' }],
    [['get', 'c1'], { TMF688_HUB_TOKEN: 'env-token' }, { action: 'get', target: 'c1', url: DEFAULT_HUB_URL, bearer: 'env-token' }],
  ])('should read %j with the environment %j', (argv, env, expected) => {
    expect(parseOdaArgs(argv, env)).toEqual(expected);
  });

  it.each<[string[], string]>([
    [[], 'oda needs apply <file>, get <name> or delete <name>'],
    [['list'], 'oda needs apply <file>, get <name> or delete <name>, got "list"'],
    [['apply'], 'oda apply needs a manifest file'],
    [['delete'], 'oda delete needs a component name'],
    [['get', 'a', 'b'], 'unexpected argument "b" after oda get a'],
    [['get', 'a', '--port', '1'], 'unknown option --port for oda (options: --url, --key, --token)'],
    [['get', 'a', '--key'], 'option --key needs a value'],
    [['get', 'a', '--url', '--key', 'k'], 'option --url needs a value'],
    [['get', 'a', '--url=ftp://x'], '--url must be the hub\'s http(s) URL, e.g. http://localhost:8080, got "ftp://x"'],
  ])('should refuse %j', (argv, message) => {
    expect(() => parseOdaArgs(argv, {})).toThrow(new UsageError(message));
  });
});

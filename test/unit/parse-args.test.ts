import { optionName, parseArgs, UsageError, type OptionVariable } from '../../src/cli/parse-args';
import { CONFIG_VARIABLES } from '../../src/config';

function variable(name: string, shownDefault: string, help: string, flag = false): OptionVariable {
  return { name, shownDefault, help, flag };
}

const VARS: readonly OptionVariable[] = [
  variable('PORT', '8080', 'HTTP port'),
  variable('HUB_PUBLIC_URL', '(request host)', 'Public URL'),
  variable('MONGODB_URL', '(unset)', 'MongoDB'),
  variable('HUB_RETRY_SCHEDULE', '5s,30s', 'Retries'),
  variable('LOG_LEVEL', 'info', 'Level'),
  variable('HUB_SEED', 'false', 'Seed', true),
  variable('HUB_WORKER_ENABLED', 'true', 'Worker', true),
];

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, VARS);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

describe('optionName', () => {
  it.each([
    ['PORT', 'port'],
    ['HUB_PUBLIC_URL', 'public-url'],
    ['MONGODB_URL', 'mongodb-url'],
    ['HUB_RETRY_SCHEDULE', 'retry-schedule'],
    ['LOG_LEVEL', 'log-level'],
    ['HUB_DELIVERY_CONCURRENCY_PER_HUB', 'delivery-concurrency-per-hub'],
  ])('should name %s --%s', (variable, option) => {
    expect(optionName(variable)).toBe(option);
  });

  it('should give every configuration variable its own option, none of them help or version', () => {
    const names = CONFIG_VARIABLES.map((v) => optionName(v.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('help');
    expect(names).not.toContain('version');
  });

  it('should treat exactly the boolean variables as flags, and those are the ones with a true/false default', () => {
    const flags = CONFIG_VARIABLES.filter((v) => v.flag).map((v) => v.name).sort();
    expect(flags).toEqual(['HUB_AMQP_TLS', 'HUB_API_ENABLED', 'HUB_KAFKA_TLS', 'HUB_LISTENER_SUFFIX', 'HUB_MQTT_TLS', 'HUB_NATS_TLS', 'HUB_PUBLIC_DOCS', 'HUB_SEED', 'HUB_WORKER_ENABLED']);
    const trueOrFalse = CONFIG_VARIABLES.filter((v) => v.shownDefault === 'true' || v.shownDefault === 'false').map((v) => v.name).sort();
    expect(trueOrFalse).toEqual(flags);
  });

  it('should give the new variables --api-enabled (a flag) and --staged-grace (with a value)', () => {
    const all = CONFIG_VARIABLES;
    expect(parseArgs(['--api-enabled', 'false', '--staged-grace', '30s'], all).env).toEqual({ HUB_API_ENABLED: 'false', HUB_STAGED_GRACE: '30s' });
    expect(parseArgs(['--api-enabled'], all).env).toEqual({ HUB_API_ENABLED: 'true' });
  });

  it('should take a following true/false only for a variable marked as a flag, whatever its default text', () => {
    const odd = [variable('HUB_ODD', 'true', 'a value, not a flag', false), variable('HUB_ON', '(on)', 'a flag', true)];
    expect(() => parseArgs(['--odd'], odd)).toThrow('option --odd needs a value');
    expect(parseArgs(['--on'], odd).env).toEqual({ HUB_ON: 'true' });
  });
});

describe('parseArgs', () => {
  it('should start the hub with no environment of its own when given nothing', () => {
    expect(parseArgs([], VARS)).toEqual({ command: 'start', env: {}, optionOf: {} });
  });

  it('should map --name=value and --name value to the variables', () => {
    const parsed = parseArgs(['--port=9090', '--public-url', 'https://hub.example.com', '--retry-schedule=1s,5s', '--log-level', 'debug'], VARS);
    expect(parsed.command).toBe('start');
    expect(parsed.env).toEqual({ PORT: '9090', HUB_PUBLIC_URL: 'https://hub.example.com', HUB_RETRY_SCHEDULE: '1s,5s', LOG_LEVEL: 'debug' });
    expect(parsed.optionOf).toEqual({ PORT: '--port', HUB_PUBLIC_URL: '--public-url', HUB_RETRY_SCHEDULE: '--retry-schedule', LOG_LEVEL: '--log-level' });
  });

  it('should keep everything after the first = as the value', () => {
    expect(parseArgs(['--mongodb-url=mongodb://h:27017/db?w=majority'], VARS).env).toEqual({ MONGODB_URL: 'mongodb://h:27017/db?w=majority' });
  });

  it('should take a value that starts with a single dash', () => {
    expect(parseArgs(['--retry-schedule', '-1s'], VARS).env).toEqual({ HUB_RETRY_SCHEDULE: '-1s' });
  });

  it('should pass an explicitly empty value, which unsets the variable for loadConfig', () => {
    expect(parseArgs(['--mongodb-url='], VARS).env).toEqual({ MONGODB_URL: '' });
  });

  it('should let the last of repeated options win', () => {
    expect(parseArgs(['--port', '1', '--port=2'], VARS).env).toEqual({ PORT: '2' });
  });

  it('should read a bare boolean flag as true', () => {
    expect(parseArgs(['--seed'], VARS).env).toEqual({ HUB_SEED: 'true' });
    expect(parseArgs(['--seed', '--port', '1'], VARS).env).toEqual({ HUB_SEED: 'true', PORT: '1' });
  });

  it('should take true/false/1/0 after a boolean flag as its value, and leave anything else alone', () => {
    expect(parseArgs(['--worker-enabled', 'false'], VARS).env).toEqual({ HUB_WORKER_ENABLED: 'false' });
    expect(parseArgs(['--seed', 'TRUE'], VARS).env).toEqual({ HUB_SEED: 'TRUE' });
    expect(parseArgs(['--worker-enabled=0'], VARS).env).toEqual({ HUB_WORKER_ENABLED: '0' });
    expect(parseArgs(['--seed', 'seed'], VARS)).toMatchObject({ command: 'seed', env: { HUB_SEED: 'true' } });
  });

  it('should pass a bad boolean given with = on, for loadConfig to refuse', () => {
    expect(parseArgs(['--seed=yes'], VARS).env).toEqual({ HUB_SEED: 'yes' });
  });

  it('should read the seed command before or after the options', () => {
    expect(parseArgs(['seed', '--mongodb-url', 'mongodb://h/db'], VARS)).toEqual({
      command: 'seed',
      env: { MONGODB_URL: 'mongodb://h/db' },
      optionOf: { MONGODB_URL: '--mongodb-url' },
    });
    expect(parseArgs(['--mongodb-url', 'mongodb://h/db', 'seed'], VARS).command).toBe('seed');
  });

  it.each([
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['seed', '--port', '1', '--help'], 'help'],
    [['--version'], 'version'],
    [['--help', '--version'], 'help'],
  ])('should read %j as %s', (argv, command) => {
    expect(parseArgs(argv, VARS).command).toBe(command);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--bogus=1'], 'unknown option --bogus'],
    [['-p', '1'], 'unknown option -p'],
    [['--PORT=1'], 'unknown option --PORT'],
    [['--hub-seed'], 'unknown option --hub-seed'],
    [['--port'], 'option --port needs a value (--port=<value> or --port <value>)'],
    [['--port', '--log-level', 'info'], 'option --port needs a value (--port=<value> or --port <value>)'],
    [['serve'], 'unknown command "serve" (commands: seed, oda; none starts the hub)'],
    [['seed', 'extra'], 'unexpected argument "extra" after the command "seed"'],
    [['--bogus', '--help'], 'unknown option --bogus'],
  ])('should refuse %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

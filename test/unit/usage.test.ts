import { optionName } from '../../src/cli/parse-args';
import { usage } from '../../src/cli/usage';
import { CONFIG_VARIABLES } from '../../src/config';

describe('usage', () => {
  const text = usage(CONFIG_VARIABLES);
  const lines = text.split('\n');

  it.each(CONFIG_VARIABLES.map((v) => [v.name, v] as const))('should list %s as an option with its default and meaning', (name, variable) => {
    const option = `--${optionName(name)}${variable.flag ? '[=true|false]' : ' <value>'}`;
    const at = lines.findIndex((line) => line.trimStart().startsWith(`${option} `));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at]).toContain(variable.help);
    expect(lines[at + 1].trim()).toBe(`(env ${name}, default ${variable.shownDefault})`);
  });

  it.each([
    ['--api-enabled[=true|false]', '(env HUB_API_ENABLED, default true)'],
    ['--staged-grace <value>', '(env HUB_STAGED_GRACE, default 1m)'],
    ['--retry-schedule <value>', '(env HUB_RETRY_SCHEDULE, default 5s,30s,2m,10m,1h,6h)'],
    ['--max-body <value>', '(env HUB_MAX_BODY, default 1mb)'],
    ['--callback-allow <value>', '(env HUB_CALLBACK_ALLOW, default (none))'],
    ['--public-url <value>', '(env HUB_PUBLIC_URL, default (request host))'],
  ])('should show %s with %s', (option, detail) => {
    const at = lines.findIndex((line) => line.trimStart().startsWith(`${option} `));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1].trim()).toBe(detail);
  });

  it('should list the commands, --help and --version', () => {
    expect(text).toMatch(/^Usage: tmf688-hub \[seed\] \[options\]\n/);
    expect(lines.some((l) => /^ {2}seed {2,}load the sample data/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}-h, --help {2,}print this help/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}--version {2,}print the version/.test(l))).toBe(true);
  });
});

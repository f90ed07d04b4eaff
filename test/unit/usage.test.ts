import { isBooleanVariable, optionName } from '../../src/cli/parse-args';
import { usage } from '../../src/cli/usage';
import { CONFIG_VARIABLES } from '../../src/config';

describe('usage', () => {
  const text = usage(CONFIG_VARIABLES);
  const lines = text.split('\n');

  it.each(CONFIG_VARIABLES.map((v) => [v[0], v] as const))('should list %s as an option with its default and meaning', (name, variable) => {
    const option = `--${optionName(name)}${isBooleanVariable(variable) ? '[=true|false]' : ' <value>'}`;
    const at = lines.findIndex((line) => line.trimStart().startsWith(`${option} `));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at]).toContain(variable[2]);
    expect(lines[at + 1].trim()).toBe(`(env ${name}, default ${variable[1]})`);
  });

  it('should list the commands, --help and --version', () => {
    expect(text).toMatch(/^Usage: tmf688-hub \[seed\] \[options\]\n/);
    expect(lines.some((l) => /^ {2}seed {2,}load the sample data/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}-h, --help {2,}print this help/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}--version {2,}print the version/.test(l))).toBe(true);
  });
});

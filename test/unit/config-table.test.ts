import { CONFIG_TABLE } from '../../src/config/config-table';
import { CONFIG_VARIABLES, loadConfig, NONE_SHOWN, type Config } from '../../src/config';

const defaulted = CONFIG_VARIABLES.filter((v) => v.fallback !== undefined).map((v) => [v.name, v] as const);
const optional = CONFIG_VARIABLES.filter((v) => v.fallback === undefined).map((v) => [v.name, v] as const);

describe('CONFIG_TABLE', () => {
  it('should name each variable once and set each Config key once', () => {
    const names = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CONFIG_VARIABLES.map((v) => v.key)).toEqual(Object.keys(CONFIG_TABLE));
  });

  it.each(defaulted)('should read the shown default of %s back as its typed default', (name, v) => {
    // (none) is how an empty default is shown: the variable left blank.
    const text = v.shownDefault === NONE_SHOWN ? '' : v.shownDefault;
    expect(v.parser.parse(text)).toEqual(v.fallback);
    expect(loadConfig({ [name]: text })[v.key]).toEqual(v.fallback);
  });

  it.each(defaulted.filter(([, v]) => v.shownDefault === NONE_SHOWN))('should show (none) for %s only because its default is empty', (_name, v) => {
    expect(v.fallback).toEqual([]);
  });

  it.each(optional)('should leave %s unset by default and describe what that means', (_name, v) => {
    expect(loadConfig({})[v.key]).toBeUndefined();
    expect(v.shownDefault).toMatch(/^\(.+\)$/);
  });

  it("should give loadConfig({}) exactly the table's defaults", () => {
    const defaults = Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.key, v.fallback]));
    expect(loadConfig({})).toEqual(defaults);
  });

  it('should give every call its own copy of a list default', () => {
    const first: Config = loadConfig({});
    first.retrySchedule.push(1);
    first.apiKeys.push('x'.repeat(16));
    expect(loadConfig({})).toMatchObject({ retrySchedule: [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000], apiKeys: [] });
  });
});

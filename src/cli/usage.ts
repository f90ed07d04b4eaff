import { COMMANDS, optionName, type OptionVariable } from './parse-args';

export const PROGRAM = 'tmf688-hub';

/** The --help text, written from the configuration variables so that options and variables cannot drift apart. */
export function usage(variables: readonly OptionVariable[]): string {
  const options = variables.map(({ name, shownDefault, help, flag }) => ({
    flag: flag ? `--${optionName(name)}[=true|false]` : `--${optionName(name)} <value>`,
    description: help,
    detail: `env ${name}, default ${shownDefault}`,
  }));
  options.push(
    { flag: '-h, --help', description: 'print this help and exit', detail: '' },
    { flag: '--version', description: 'print the version and exit', detail: '' },
  );
  const width = Math.max(...options.map((o) => o.flag.length)) + 2;
  const indent = ' '.repeat(width + 2);
  const commandWidth = Math.max(...COMMANDS.map(([name]) => name.length)) + 2;
  return [
    `Usage: ${PROGRAM} [seed] [options]`,
    '',
    'TM Forum TMF688 v4 Event Management hub: topics, events and hubs with durable webhook delivery.',
    '',
    'Commands:',
    ...COMMANDS.map(([name, description]) => `  ${name.padEnd(commandWidth)}${description}`),
    '',
    'Options (each sets the environment variable shown, and overrides it; --name=value or --name value):',
    ...options.flatMap((o) => [`  ${o.flag.padEnd(width)}${o.description}`, ...(o.detail ? [`${indent}(${o.detail})`] : [])]),
    '',
    'Examples:',
    `  ${PROGRAM} --port 9090 --log-level debug`,
    `  ${PROGRAM} --seed                 start with the sample data of seeds/, delivered to the hub's own inbox`,
    `  ${PROGRAM} seed --mongodb-url mongodb://localhost:27017/tmf688`,
    `  ${PROGRAM} oda apply productcatalog.component.yaml --url http://hub:8080 --key $ADMIN_KEY`,
    '',
  ].join('\n');
}

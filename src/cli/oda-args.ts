import { UsageError } from './parse-args';

/** `tmf688-hub oda apply <file> | get <name> | delete <name> [--url <hub>] [--key <key> | --token <token>]`. */
export interface OdaArgs {
  action: 'apply' | 'get' | 'delete';
  /** The manifest file (apply) or the component's name (get, delete). */
  target: string;
  /** The hub's base URL, without a trailing slash. */
  url: string;
  /** Sent as `Authorization: Bearer` (an API key or an OAuth2 token alike); absent for an open hub. */
  bearer?: string;
}

/** Where `oda` finds the hub and its credential when the command line does not say. */
export const ODA_ENV = { url: 'TMF688_HUB_URL', bearer: 'TMF688_HUB_TOKEN' } as const;
export const DEFAULT_HUB_URL = 'http://localhost:8080';

const ACTIONS = ['apply', 'get', 'delete'] as const;
const OPTIONS: Readonly<Record<string, 'url' | 'bearer'>> = { '--url': 'url', '--key': 'bearer', '--token': 'bearer' };

/** Parses the arguments after `oda`; options may come anywhere, as --name value or --name=value. Throws UsageError. */
export function parseOdaArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): OdaArgs {
  const positional: string[] = [];
  const set: Partial<Record<'url' | 'bearer', string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const key = OPTIONS[flag];
    if (!key) throw new UsageError(`unknown option ${flag} for oda (options: --url, --key, --token)`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value`);
    set[key] = value;
  }
  const [action, target, ...extra] = positional;
  if (!ACTIONS.includes(action as OdaArgs['action'])) throw new UsageError(`oda needs apply <file>, get <name> or delete <name>${action ? `, got "${action}"` : ''}`);
  if (!target) throw new UsageError(`oda ${action} needs ${action === 'apply' ? 'a manifest file' : 'a component name'}`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" after oda ${action} ${target}`);
  const url = (set.url ?? env[ODA_ENV.url] ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be the hub's http(s) URL, e.g. ${DEFAULT_HUB_URL}, got "${url}"`);
  const bearer = set.bearer ?? env[ODA_ENV.bearer];
  return { action: action as OdaArgs['action'], target, url, ...(bearer ? { bearer } : {}) };
}

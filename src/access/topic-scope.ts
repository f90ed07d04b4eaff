/**
 * Topic scopes: which topics a principal may act on, by topic name (ids are generated, so a scope
 * can only be written in names). A scope is an exact name or "<prefix>.*", which covers every name
 * below the prefix at any depth ("orders.*" covers "orders.x" and "orders.x.y") but neither the
 * prefix itself ("orders") nor a longer word ("ordersx"): write both "orders" and "orders.*" to
 * mean the whole tree.
 */

const MAX_SCOPE_LENGTH = 256;

/** Why a scope as written in a clients file cannot be used, or undefined when it can. */
export function topicScopeProblem(scope: unknown): string | undefined {
  if (typeof scope !== 'string' || scope === '') return 'a topic scope is a non-empty string';
  if (scope.length > MAX_SCOPE_LENGTH) return `a topic scope has at most ${MAX_SCOPE_LENGTH} characters`;
  if (scope.trim() !== scope) return `topic scope "${scope}" has spaces around it`;
  if (!scope.includes('*')) return undefined;
  // "*" alone would mean every topic, which is what leaving `topics` out already says.
  if (scope === '*' || scope === '.*') return 'a topic scope "*" is not needed: leave `topics` out for every topic';
  if (!scope.endsWith('.*') || scope.slice(0, -2).includes('*')) return `topic scope "${scope}": "*" may only end a scope, as "<prefix>.*"`;
  return undefined;
}

/** Whether a topic's name is in one of the scopes; no scopes (undefined) means every topic. A topic without a name is in no scope. */
export function inTopicScope(scopes: readonly string[] | undefined, topicName: string | undefined): boolean {
  if (scopes === undefined) return true;
  if (topicName === undefined) return false;
  for (const scope of scopes) {
    if (scope.endsWith('.*')) {
      const prefix = scope.slice(0, -1);
      if (topicName.length > prefix.length && topicName.startsWith(prefix)) return true;
    } else if (scope === topicName) return true;
  }
  return false;
}

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * The scopes as one regular expression over a topic's name, matching exactly the names
 * inTopicScope accepts: what a list filters by in the store (both stores read it: `[\s\S]` and the
 * final lookahead mean the same to JavaScript and to MongoDB's PCRE, where `$` would also match
 * before a final newline).
 */
export function topicScopePattern(scopes: readonly string[]): RegExp {
  const alternatives = scopes.map((scope) => (scope.endsWith('.*') ? `${escapeRegex(scope.slice(0, -1))}[\\s\\S]+` : escapeRegex(scope)));
  return new RegExp(`^(?:${alternatives.join('|')})(?![\\s\\S])`);
}

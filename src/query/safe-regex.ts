import { BadRequestError } from '../errors';

export const MAX_REGEX_LENGTH = 256;

/**
 * Refuses regular expressions that can backtrack catastrophically on JavaScript's engine: an
 * unbounded quantifier on a group that itself holds an unbounded quantifier or an alternation
 * ((a+)+, (a|a)*), and backreferences; and caps their length. What passes runs in time roughly
 * linear in the input, and inputs are bounded by HUB_MAX_BODY.
 */
export function assertSafeRegex(source: string, attribute: string): void {
  const refuse = (why: string) => {
    throw new BadRequestError(`The regular expression for "${attribute}" is refused: ${why}`, 'Invalid query');
  };
  if (source.length > MAX_REGEX_LENGTH) refuse(`it is longer than ${MAX_REGEX_LENGTH} characters`);
  if (/\\[1-9]|\\k</.test(source)) refuse('backreferences are not supported');
  // One frame per open group: does it contain an unbounded quantifier or an alternation?
  const groups: Array<{ risky: boolean }> = [{ risky: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') groups.push({ risky: false });
    else if (ch === '|') groups[groups.length - 1].risky = true;
    else if (ch === ')') {
      const closed = groups.length > 1 ? groups.pop()! : { risky: false };
      const quantified = unboundedQuantifierAt(source, i + 1);
      if (quantified && closed.risky) refuse('a repeated group that itself repeats or alternates can backtrack catastrophically; simplify it');
      if (closed.risky || quantified) groups[groups.length - 1].risky = true;
    } else if (unboundedQuantifierAt(source, i)) groups[groups.length - 1].risky = true;
  }
}

/** Whether an unbounded quantifier (*, +, {n,}) starts at `i`. */
function unboundedQuantifierAt(source: string, i: number): boolean {
  const ch = source[i];
  if (ch === '*' || ch === '+') return true;
  return ch === '{' && /^\{\d+,\}/.test(source.slice(i));
}

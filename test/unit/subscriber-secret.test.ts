import { rotateSecret, signingSecrets, withoutSecret } from '../../src/hub/subscriber-secret';

const NOW = 1_000_000;
const hub = (secret: unknown) => ({ id: 'h1', callback: 'http://x', ...(secret === undefined ? {} : { secret }) });

describe('signingSecrets', () => {
  it.each<[string, unknown, number, string[]]>([
    ['no secret', undefined, NOW, []],
    ['an empty secret', '', NOW, []],
    ['a secret as created', 'created-secret-0123', NOW, ['created-secret-0123']],
    ['a rotated secret within the grace: new first, then previous', { current: 'new', previous: 'old', previousUntil: NOW + 1 }, NOW, ['new', 'old']],
    ['a rotated secret at the end of the grace', { current: 'new', previous: 'old', previousUntil: NOW }, NOW, ['new']],
    ['a rotated secret after the grace', { current: 'new', previous: 'old', previousUntil: NOW - 5 }, NOW, ['new']],
    ['a rotation without a previous secret', { current: 'new' }, NOW, ['new']],
    ['a malformed stored value', { previous: 'old' }, NOW, []],
    ['a number', 42, NOW, []],
  ])('should give %s', (_case, secret, now, expected) => {
    expect(signingSecrets(hub(secret), now)).toEqual(expected);
  });
});

describe('rotateSecret', () => {
  it.each<[string, unknown, string, number, unknown]>([
    ['from no secret: only the new one', undefined, 'n', 60_000, { current: 'n' }],
    ['from a created secret: it stays previous for the grace', 'c', 'n', 60_000, { current: 'n', previous: 'c', previousUntil: NOW + 60_000 }],
    ['from a rotated one: the current becomes previous, the oldest goes', { current: 'b', previous: 'a', previousUntil: NOW + 5 }, 'n', 60_000, { current: 'n', previous: 'b', previousUntil: NOW + 60_000 }],
    ['with a zero grace: only the new one', 'c', 'n', 0, { current: 'n' }],
    ['to the same secret: nothing kept twice', 'same', 'same', 60_000, { current: 'same' }],
  ])('should rotate %s', (_case, stored, next, grace, expected) => {
    expect(rotateSecret(stored, next, NOW, grace)).toEqual(expected);
  });
});

describe('withoutSecret', () => {
  it('should drop every secret, current and previous, since they all live under one attribute', () => {
    const shown = withoutSecret(hub({ current: 'new', previous: 'old', previousUntil: NOW }));
    expect(shown).toEqual({ id: 'h1', callback: 'http://x' });
  });
});

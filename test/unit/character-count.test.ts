import { longerThan } from '../../src/text/character-count';

const PARCEL = '\u{1F4E6}'; // one character, two UTF-16 units

describe('longerThan: characters as JSON Schema maxLength counts them (code points)', () => {
  it.each<[string, string, number, boolean]>([
    ['an empty text', '', 0, false],
    ['ASCII at the limit', 'abc', 3, false],
    ['ASCII past the limit', 'abcd', 3, true],
    ['astral characters at the limit (twice as many units)', PARCEL.repeat(3), 3, false],
    ['astral characters past the limit', PARCEL.repeat(4), 3, true],
    ['a mix at the limit', `a${PARCEL}b`, 3, false],
    ['a mix past the limit', `a${PARCEL}bc`, 3, true],
    ['a lone surrogate (one code point)', '\uD83D', 1, false],
  ])('should judge %s', (_case, text, max, longer) => {
    expect(longerThan(text, max)).toBe(longer);
  });
});

import { parseFilter } from '../../src/query/parse-filter';
import { assertSafeRegex, MAX_REGEX_LENGTH } from '../../src/query/safe-regex';
import { expectBadRequest } from '../helpers/expect-bad-request';

describe('assertSafeRegex', () => {
  describe('accepts patterns that run in linear time', () => {
    it.each([
      ['^Product', 'anchored prefix'],
      ['Order$', 'anchored suffix'],
      ['a+b+', 'quantifiers outside any group'],
      ['\\d+\\.\\d+', 'escaped class and escaped dot'],
      ['.*foo.*', 'leading and trailing wildcard'],
      ['(ab)+', 'a repeated group without inner repetition'],
      ['(a+)?', 'a group with inner repetition, optional only (bounded)'],
      ['[a-z]+(?:Create|Delete)Event', 'an alternation in a non-repeated group'],
      ['(?:x|y)', 'a plain non-capturing alternation'],
      ['a{2,5}', 'a bounded repetition'],
      ['[(+*]+', 'group and quantifier characters inside a character class'],
    ])('should accept %j (%s)', (pattern) => {
      expect(() => assertSafeRegex(pattern, 'name')).not.toThrow();
      expect(() => new RegExp(pattern)).not.toThrow();
    });
  });

  describe('refuses patterns that can backtrack catastrophically, and backreferences', () => {
    const NESTED = 'repeated group that itself repeats or alternates';
    it.each([
      ['(a+)+', NESTED],
      ['(a*)*', NESTED],
      ['(a|a)*', NESTED],
      ['(x+x+)+y', NESTED],
      ['((a+))+', NESTED],
      ['(a|b){2,}', NESTED],
      ['(\\d+)*$', NESTED],
      ['x(.*a){1,}', NESTED],
      ['(a)\\1', 'backreferences are not supported'],
      ['(?<n>a)\\k<n>', 'backreferences are not supported'],
      ['a'.repeat(MAX_REGEX_LENGTH + 1), `longer than ${MAX_REGEX_LENGTH} characters`],
    ])('should refuse %j with a 400 naming the attribute and the reason', (pattern, why) => {
      const error = expectBadRequest(() => assertSafeRegex(pattern, 'event.productOrder.state'));
      expect(error.message).toContain('"event.productOrder.state"');
      expect(error.message).toContain('refused');
      expect(error.message).toContain(why);
    });

    it('should test a 257-character pattern in the table above', () => {
      expect(MAX_REGEX_LENGTH + 1).toBe(257);
      expect(() => assertSafeRegex('a'.repeat(MAX_REGEX_LENGTH), 'name')).not.toThrow();
    });
  });

  describe('through parseFilter', () => {
    it('should answer a 400 for name.regex=(a+)+', () => {
      const error = expectBadRequest(() => parseFilter([['name.regex', '(a+)+']]));
      expect(error.message).toContain('"name"');
      expect(error.message).toContain('refused');
    });

    it('should compile a safe name.regex into a clause', () => {
      const [clause] = parseFilter([['name.regex', '^Product']]);
      expect(clause).toMatchObject({ path: ['name'], op: 'regex' });
      expect(clause.regex).toBeInstanceOf(RegExp);
    });
  });
});

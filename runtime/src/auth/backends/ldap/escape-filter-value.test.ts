import fc from 'fast-check';
import { EqualityFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { escapeFilterValue } from './escape-filter-value.js';

describe('escapeFilterValue', () => {
  it('hex-escapes the five characters RFC 4515 reserves', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('a)(uid=*')).toBe('a\\29\\28uid=\\2a');
    expect(escapeFilterValue('x\\00y')).toBe('x\\5c00y');
    expect(escapeFilterValue('x\0y')).toBe('x\\00y');
    expect(escapeFilterValue('*)(uid=*))(|(uid=*')).toBe(
      '\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a',
    );
  });

  it('leaves other characters, non-ASCII included, as they are', () => {
    expect(escapeFilterValue('café=ok, #1')).toBe('café=ok, #1');
  });

  it('agrees with the filter encoding of ldapts for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const expected = new EqualityFilter({ attribute: 'uid', value }).toString();
        expect(`(uid=${escapeFilterValue(value)})`).toBe(expected);
      }),
    );
  });

  it('never leaves an unescaped parenthesis, star or backslash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(escapeFilterValue(value).replace(/\\(2a|28|29|5c|00)/g, '')).not.toMatch(
          /[*()\\\0]/,
        );
      }),
    );
  });
});

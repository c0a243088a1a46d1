import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeDnValue, hasControlCharacter } from './escape-dn-value.js';

/** Reverses RFC 4514 escaping: a backslash followed by a character stands for that character. */
function unescape(value: string): string {
  return value.replace(/\\(.)/gsu, '$1');
}

describe('escapeDnValue', () => {
  it('escapes the special characters of RFC 4514 section 2.4', () => {
    expect(escapeDnValue('Smith, John')).toBe('Smith\\, John');
    expect(escapeDnValue('a+b')).toBe('a\\+b');
    expect(escapeDnValue('x=y;z')).toBe('x\\=y\\;z');
    expect(escapeDnValue('"<q>"')).toBe('\\"\\<q\\>\\"');
    expect(escapeDnValue('back\\slash')).toBe('back\\\\slash');
  });

  it('escapes a leading # or space and a trailing space', () => {
    expect(escapeDnValue('#admin')).toBe('\\#admin');
    expect(escapeDnValue(' lead')).toBe('\\ lead');
    expect(escapeDnValue('trail ')).toBe('trail\\ ');
    expect(escapeDnValue(' ')).toBe('\\ ');
    expect(escapeDnValue('  ')).toBe('\\ \\ ');
    expect(escapeDnValue('a\\ ')).toBe('a\\\\\\ ');
    expect(escapeDnValue('a#b c')).toBe('a#b c');
  });

  it('rejects NUL, LF and other control characters', () => {
    for (const value of ['x\0y', 'a\nb', 'a\rb', '\u001b[0m', 'del\u007f']) {
      expect(() => escapeDnValue(value)).toThrow(
        expect.objectContaining({ code: 'SVC_ERR_AUTH_LDAP_DN_VALUE' }),
      );
    }
  });

  it('round-trips and leaves no unescaped separator for any printable string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((value) => !hasControlCharacter(value)),
        (value) => {
          const escaped = escapeDnValue(value);
          expect(unescape(escaped)).toBe(value);
          expect(escaped.replace(/\\./gsu, '')).not.toMatch(/[,+;<>="\\]/);
          expect(escaped.replace(/\\./gsu, 'x')).not.toMatch(/^[ #]| $/);
        },
      ),
    );
  });
});

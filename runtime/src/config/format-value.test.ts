import fc from 'fast-check';
import ini from 'ini';
import { describe, expect, it } from 'vitest';
import { formatIniValue } from './format-value.js';
import { parseConfig } from './parse-config.js';

/** Strings heavy in the characters that mean something to the INI reader. */
const trickyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(';', '#', '"', "'", '\\', '=', ':', '[', ']', '\n', '\r', '\t', ' '),
    fc.constantFrom('${', '$${', '${A}', '}', ':-', '%(here)s', '\\;', '\\#', '\\n', '\\u0041'),
    fc.constantFrom('true', 'False', '12', '-3', 'rem', '\u2028', '\u00a0', '\ufeff', 'é', '😀'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

const env = { A: 'alpha' };

/** What `[s]\nkey = <written>` reads back as. */
function readBack(written: string): unknown {
  return parseConfig(`[s]\nkey = ${written}\n`, { env }).get('s', 'key');
}

describe('formatIniValue', () => {
  it('writes a JSON-quoted string', () => {
    expect(formatIniValue('a ; b ${HOME}')).toBe('"a ; b ${HOME}"');
    expect(formatIniValue('line\nbreak')).toBe('"line\\nbreak"');
  });

  it('reads back as exactly the same string, whatever the string', () => {
    fc.assert(
      fc.property(trickyString, (value) => {
        expect(readBack(formatIniValue(value))).toBe(value);
      }),
    );
  });

  it('reads back inside a list of continuation lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          trickyString.filter((value) => value !== ''),
          { minLength: 1 },
        ),
        (values) => {
          const lines = values.map((value) => `    ${formatIniValue(value)}`).join('\n');
          expect(parseConfig(`[s]\nkey =\n${lines}\n`, { env }).get('s', 'key')).toStrictEqual(
            values,
          );
        },
      ),
    );
  });

  it('never adds a line, a section or a key', () => {
    fc.assert(
      fc.property(trickyString, (value) => {
        const config = parseConfig(`[s]\nkey = ${formatIniValue(value)}\nafter = 1\n`, { env });
        expect(config.sections()).toStrictEqual(['s']);
        expect(Object.keys(config.getSection('s'))).toStrictEqual(['key', 'after']);
      }),
    );
  });
});

describe('parseConfig reading ini.safe() output', () => {
  it('reads a value safe() quotes back as exactly the same string, never interpolated', () => {
    fc.assert(
      fc.property(trickyString, (value) => {
        const written = ini.safe(value);
        fc.pre(written === JSON.stringify(value));
        expect(readBack(written)).toBe(value);
      }),
    );
  });

  it('reads an unquoted safe() value back when it is plain text', () => {
    fc.assert(
      fc.property(trickyString, (value) => {
        const written = ini.safe(value);
        fc.pre(written !== JSON.stringify(value) && isPlainText(value));
        expect(readBack(written)).toBe(value);
      }),
    );
  });

  it('quotes what would otherwise be read as a comment, section or variable', () => {
    expect(readBack(ini.safe('[not a section]'))).toBe('[not a section]');
    expect(readBack(ini.safe(' ${A} '))).toBe(' ${A} ');
    expect(readBack(ini.safe('a ; b'))).toBe('a ; b');
    expect(readBack(ini.safe('#x'))).toBe('#x');
  });
});

/**
 * Text that bare (unquoted) INI keeps as a string: not a number or boolean, with no `${` or
 * `%(here)s` to replace, and not wrapped in double quotes.
 */
function isPlainText(value: string): boolean {
  if (/^-?[0-9]+$/.test(value) || /^(true|false)$/i.test(value)) return false;
  if (value.includes('$') || value.includes('%(here)s')) return false;
  return !(value.startsWith('"') && value.endsWith('"') && value.length > 0);
}

describe('formatIniValue: line separators', () => {
  it('writes U+2028 and U+2029 as escapes so no reader sees a line break', () => {
    const written = formatIniValue('a\u2028b\u2029c');
    expect(written).toBe('"a\\u2028b\\u2029c"');
    expect(parseConfig(`[s]\nk = ${written}\n`).get('s', 'k')).toBe('a\u2028b\u2029c');
  });
});

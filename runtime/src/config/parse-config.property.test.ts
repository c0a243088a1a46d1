import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import type { ConfigValue, ScalarValue } from './config.js';
import { formatIniValue } from './format-value.js';
import { parseConfig } from './parse-config.js';

type Sections = Record<string, Record<string, ConfigValue>>;

const folder = mkdtempSync(join(tmpdir(), 'config-property-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const scalar: fc.Arbitrary<ScalarValue> = fc.oneof(
  fc.maxSafeInteger(),
  fc.boolean(),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const listItem = scalar.filter((item) => item !== '');
const value: fc.Arbitrary<ConfigValue> = fc.oneof(scalar, fc.array(listItem, { minLength: 1 }));

// `rem` cannot be a key: a line whose first word is rem is a comment
const key = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,11}$/).filter((name) => name !== 'rem');
const sectionName = fc
  .stringMatching(/^[A-Za-z0-9_:.@ -]{1,16}$/)
  .filter((name) => name.trim() === name && name !== 'DEFAULT');
const sections: fc.Arbitrary<Sections> = fc.dictionary(sectionName, fc.dictionary(key, value), {
  maxKeys: 6,
});

function formatScalar(item: ScalarValue): string {
  return typeof item === 'string' ? formatIniValue(item) : String(item);
}

/** Writes sections the way a generator would: quoted strings, bare numbers, indented lists. */
function serialize(config: Sections): string {
  const lines: string[] = [];
  for (const [name, options] of Object.entries(config)) {
    lines.push(`[${name}]`);
    for (const [option, item] of Object.entries(options)) {
      if (!Array.isArray(item)) lines.push(`${option} = ${formatScalar(item)}`);
      else lines.push(`${option} =`, ...item.map((entry) => `    ${formatScalar(entry)}`));
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Text made of the pieces INI syntax is built from, in any order. */
const iniLikeText = fc.string({
  unit: fc.constantFrom(
    '[',
    ']',
    '=',
    ':',
    ';',
    '#',
    '"',
    '\\',
    '\n',
    '\r\n',
    ' ',
    '\t',
    '${',
    '}',
    ':-',
    '$$',
    'rem ',
    'a',
    'B',
    '1',
    '-',
    'true',
    'extends',
    '[DEFAULT]',
    '%(here)s',
    '\\u00',
    '\u0000',
  ),
  maxLength: 80,
});

describe('parseConfig (properties)', () => {
  it('reads back the sections and values of any serialized configuration', () => {
    fc.assert(
      fc.property(sections, (config) => {
        const parsed = parseConfig(serialize(config), { env: {} });
        expect(parsed.sections()).toStrictEqual(Object.keys(config));
        for (const [name, options] of Object.entries(config)) {
          expect(parsed.getSection(name)).toStrictEqual({ ...options });
        }
      }),
    );
  });

  it('raises nothing but a located ConfigError on arbitrary text', () => {
    fc.assert(
      fc.property(iniLikeText, (text) => {
        try {
          parseConfig(text, { env: { B: 'b' }, filename: join(folder, 'random.ini') });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).code).toMatch(/^SVC_ERR_CONFIG_/);
          expect((error as ConfigError).line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('raises nothing but ConfigError on arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        try {
          parseConfig(text, { env: {}, filename: join(folder, 'random.ini') });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
    );
  });
});

describe('parseConfig (size)', () => {
  function timed<T>(run: () => T): { result: T; ms: number } {
    const started = performance.now();
    const result = run();
    return { result, ms: performance.now() - started };
  }

  it('parses a 10,000-line file in well under a second', () => {
    const lines = ['[DEFAULT]', 'base = 1'];
    for (let index = 0; index < 10_000; index++) {
      if (index % 100 === 0) lines.push(`[section${index}]`);
      lines.push(`key${index} = "value ; ${index}" ; comment`, `  # list ${index}`);
    }
    const { result, ms } = timed(() => parseConfig(lines.join('\n'), { env: {} }));
    expect(result.sections()).toHaveLength(100);
    expect(ms).toBeLessThan(500);
  });

  it('reads a one-megabyte line and a 100,000-item list', () => {
    const long = 'x'.repeat(1_000_000);
    const items = Array.from({ length: 100_000 }, (_, index) => `  item${index}`).join('\n');
    const { result, ms } = timed(() =>
      parseConfig(`[s]\nlong = ${long}\nquoted = "${long}"\nlist = first\n${items}\n`, { env: {} }),
    );
    expect(result.get('s', 'long')).toBe(long);
    expect(result.get('s', 'quoted')).toBe(long);
    expect(result.getList('s', 'list')).toHaveLength(100_001);
    expect(ms).toBeLessThan(1000);
  });

  it.each([
    ['escapes', '\\;'.repeat(200_000)],
    ['backslashes in quotes', `"${'\\\\'.repeat(200_000)}`],
    ['unclosed quotes', '"a'.repeat(200_000)],
    ['spaced semicolons', 'a ;'.repeat(200_000)],
    ['literal dollars', '$${'.repeat(200_000)],
    ['variables', '${A}'.repeat(200_000)],
  ])('stays linear on a long line of %s', (_, raw) => {
    const { ms } = timed(() => parseConfig(`[s]\nv = ${raw}\n`, { env: { A: 'a' } }));
    expect(ms).toBeLessThan(500);
  });

  it('fails fast on a long line of unclosed references', () => {
    const { ms } = timed(() =>
      expect(() => parseConfig(`[s]\nv = ${'${'.repeat(200_000)}\n`)).toThrow(ConfigError),
    );
    expect(ms).toBeLessThan(500);
  });
});

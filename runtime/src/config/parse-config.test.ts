import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { parseConfig } from './parse-config.js';

const env = { A: 'alpha', B: 'beta', EMPTY: '', HOME: '/home/me', __STUFF__: 'stuff' };

/** The value of `[s] v = <raw>`. */
function value(raw: string): unknown {
  return parseConfig(`[s]\nv = ${raw}\n`, { env }).get('s', 'v');
}

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: value conversion (legacy 1.2, with the DESIGN changes)', () => {
  it.each([
    ['1', 1],
    ['-12', -12],
    ['0', 0],
    ['-0', 0],
    ['1.3', '1.3'],
    ['10.0.0.1', '10.0.0.1'],
    ['1e5', '1e5'],
    ['12abc', '12abc'],
    ['-', '-'],
    ['-a', '-a'],
    ['"o=k"', 'o=k'],
    ['""', ''],
    ['"', ''],
    ['"quoted ${HOME}"', 'quoted ${HOME}'],
    ['True', true],
    ['FALSE', false],
    ['yes', 'yes'],
    ['on', 'on'],
    ['  spaced  ', 'spaced'],
    ['${A}', 'alpha'],
    ['pre-${A}-post', 'pre-alpha-post'],
    ['$A', '$A'],
    ['${A}${B}', 'alphabeta'],
    ['${A} and ${B}', 'alpha and beta'],
    ['some ${__STUFF__}', 'some stuff'],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', '9007199254740992'],
    ['-9007199254740992', '-9007199254740992'],
    ['+5', '+5'],
    ['', ''],
  ])('converts %j to %j', (raw, expected) => {
    expect(value(raw)).toStrictEqual(expected);
  });

  it('returns -0 as plain 0', () => {
    expect(Object.is(value('-0'), 0)).toBe(true);
  });

  it('turns continuation lines into a list of converted lines without empty ones', () => {
    const config = parseConfig('[s]\nv = a\n  b\n\n  3\nw =\n  a\n  b\n', { env });
    expect(config.get('s', 'v')).toStrictEqual(['a', 'b', 3]);
    expect(config.get('s', 'w')).toStrictEqual(['a', 'b']);
  });

  it('interpolates each line of a list on its own', () => {
    const config = parseConfig('[s]\nv = ${A}\n  ${B}\n  "${A}"\n', { env });
    expect(config.get('s', 'v')).toStrictEqual(['alpha', 'beta', '${A}']);
  });

  it('drops list lines that convert to the empty string', () => {
    const config = parseConfig('[s]\nv = ""\n  ${EMPTY}\n  x\n', { env });
    expect(config.get('s', 'v')).toStrictEqual(['x']);
  });
});

describe('parseConfig: ${} interpolation', () => {
  it.each([
    ['${NOPE:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${A:-fallback}', 'alpha'],
    ['${NOPE:-}', ''],
    ['${NOPE:-a b c}', 'a b c'],
    ['$${A}', '${A}'],
    ['$${NOPE}', '${NOPE}'],
    ['cost $5', 'cost $5'],
    ['$$', '$$'],
    ['${EMPTY}', ''],
  ])('reads %j as %j', (raw, expected) => {
    expect(value(raw)).toStrictEqual(expected);
  });

  it('types a substituted integer or boolean like a written one', () => {
    expect(parseConfig('[s]\nport = ${PORT:-8000}\n', { env: {} }).get('s', 'port')).toBe(8000);
    expect(
      parseConfig('[s]\nport = ${PORT:-8000}\n', { env: { PORT: '9' } }).get('s', 'port'),
    ).toBe(9);
    expect(parseConfig('[s]\ndebug = ${D}\n', { env: { D: 'TRUE' } }).get('s', 'debug')).toBe(true);
  });

  it('keeps a substituted number whose digits would change as a string', () => {
    expect(parseConfig('[s]\nv = ${X}\n', { env: { X: '007' } }).get('s', 'v')).toBe('007');
    const big = '123456789012345678901234567890';
    expect(parseConfig('[s]\nv = ${X}\n', { env: { X: big } }).get('s', 'v')).toBe(big);
  });

  it('never interpolates text that came from a variable', () => {
    expect(parseConfig('[s]\nv = ${X}\n', { env: { X: '${A} %(here)s' } }).get('s', 'v')).toBe(
      '${A} %(here)s',
    );
  });

  it('reads process.env when no env is given', () => {
    process.env['SVC_CONFIG_TEST_VARIABLE'] = 'from-process';
    try {
      expect(parseConfig('[s]\nv = ${SVC_CONFIG_TEST_VARIABLE}\n').get('s', 'v')).toBe(
        'from-process',
      );
    } finally {
      delete process.env['SVC_CONFIG_TEST_VARIABLE'];
    }
  });

  it('does not take names from the prototype of a plain env object', () => {
    const error = thrown(() => parseConfig('[s]\nv = ${constructor}\n', { env: {} }));
    expect(error.code).toBe('SVC_ERR_CONFIG_UNSET_VARIABLE');
  });

  it('raises SVC_ERR_CONFIG_UNSET_VARIABLE naming the variable, file and line', () => {
    const error = thrown(() =>
      parseConfig('[s]\nok = 1\nv = x ${NOPE} y\n', { env, filename: 'app.ini' }),
    );
    expect(error.code).toBe('SVC_ERR_CONFIG_UNSET_VARIABLE');
    expect(error.file).toBe('app.ini');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^app\.ini:3: .*NOPE/);
  });

  it('raises the unset variable of a continuation line at that line', () => {
    const error = thrown(() => parseConfig('[s]\nv = ${A}\n  ${NOPE}\n', { env }));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3: .*NOPE/);
  });

  it.each(['${}', '${1A}', '${A-b}', '${A', 'x ${', '${:-x}'])(
    'raises SVC_ERR_CONFIG_BAD_VARIABLE for %j',
    (raw) => {
      const error = thrown(() => parseConfig(`[s]\nv = ${raw}\n`, { env, filename: 'x.ini' }));
      expect(error.code).toBe('SVC_ERR_CONFIG_BAD_VARIABLE');
      expect([error.file, error.line]).toStrictEqual(['x.ini', 2]);
    },
  );
});

describe('parseConfig: quoted values', () => {
  it.each([
    ['"a \\"b\\" c"', 'a "b" c'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"l1\\nl2\\r\\tx"', 'l1\nl2\r\tx'],
    ['"\\u00e9\\u0000"', 'é\u0000'],
    ['"\\b\\f"', '\b\f'],
    ['"C:\\data\\x"', 'C:\\data\\x'],
    ['"\\u12"', '\\u12'],
    ['"trailing\\"', 'trailing\\'],
    ['"a ; b"', 'a ; b'],
    ['"a" ; comment', 'a'],
    ['"a";x', '"a";x'],
    ['"x" y"', 'x" y'],
    ['"a" b', '"a" b'],
    ['"  padded  "', '  padded  '],
    ['"12"', '12'],
    ['"true"', 'true'],
    ['"%(here)s"', '%(here)s'],
    ["'single'", "'single'"],
  ])('reads %j as %j', (raw, expected) => {
    expect(value(raw)).toStrictEqual(expected);
  });
});

describe('parseConfig: comments and escapes', () => {
  it.each([
    ['value ; comment here', 'value'],
    ['value;notcomment', 'value;notcomment'],
    ['a\t; tab comment', 'a'],
    ['value # not a comment', 'value # not a comment'],
    ['a \\; b', 'a ; b'],
    ['\\#hash', '#hash'],
    ['a\\b', 'a\\b'],
    ['a\\\\;', 'a\\;'],
    ['; only a comment', ''],
    ['12 ; twelve', 12],
  ])('reads %j as %j', (raw, expected) => {
    expect(value(raw)).toStrictEqual(expected);
  });

  it('skips # and ; lines, rem lines and blank lines', () => {
    const text = '# c\n; c\n[s]\nrem a remark\nREM = also a remark\nremote = yes\n\n   \nk = v\n';
    const config = parseConfig(text);
    expect(config.getSection('s')).toStrictEqual({ remote: 'yes', k: 'v' });
  });

  it('keeps an indented # line as a list item', () => {
    const config = parseConfig('[s]\nlist = one\n    # not a comment\n    two\n');
    expect(config.get('s', 'list')).toStrictEqual(['one', '# not a comment', 'two']);
  });

  it('keeps blank and column-0 comment lines inside a multi-line value', () => {
    const config = parseConfig('[s]\nlist = one\n\n# comment\n    two\n');
    expect(config.get('s', 'list')).toStrictEqual(['one', 'two']);
  });
});

describe('parseConfig: sections and keys', () => {
  it('accepts = and : and lower-cases keys', () => {
    const config = parseConfig('[Mixed:Name]\nMixedCase = v\nother: w\n');
    expect(config.sections()).toStrictEqual(['Mixed:Name']);
    expect(config.getSection('Mixed:Name')).toStrictEqual({ mixedcase: 'v', other: 'w' });
    expect(config.hasSection('mixed:name')).toBe(false);
  });

  it('trims the spaces around a section name', () => {
    expect(parseConfig('[ server ]\nk = 1\n').sections()).toStrictEqual(['server']);
  });

  it('splits at the first = or :', () => {
    const config = parseConfig('[s]\nurl = http://x:1/?a=b\nk: a=b\n');
    expect(config.getSection('s')).toStrictEqual({ url: 'http://x:1/?a=b', k: 'a=b' });
  });

  it('merges repeated sections, later keys winning', () => {
    const config = parseConfig('[a]\nb = 1\n[x]\n[a]\nc = 2\nb = 3\n');
    expect(config.getMap()).toStrictEqual({ 'a.b': 3, 'a.c': 2 });
  });

  it('gives every section the [DEFAULT] keys', () => {
    const config = parseConfig('[DEFAULT]\nshared = 1\n[a]\nx = 2\n[b]\nshared = 3\n');
    expect(config.getMap()).toStrictEqual({ 'a.x': 2, 'a.shared': 1, 'b.shared': 3 });
  });

  it('accepts CRLF line ends, a byte order mark and a comment after a header', () => {
    const config = parseConfig('\ufeff[s] ; the section\r\nk = v\r\n');
    expect(config.get('s', 'k')).toBe('v');
  });

  it('keeps control characters as data', () => {
    const config = parseConfig('[s]\nk = a\u0001b\u000b\rc\n');
    expect(config.get('s', 'k')).toBe('a\u0001b\u000b\rc');
  });

  it('replaces %(here)s in bare values and list items with the file folder', () => {
    const config = parseConfig('[s]\nd = %(here)s/data\nl = %(here)s/a\n  %(here)s/b\n', {
      filename: 'etc/app.ini',
    });
    expect(config.get('s', 'd')).toBe('etc/data');
    expect(config.get('s', 'l')).toStrictEqual(['etc/a', 'etc/b']);
  });

  it('records the file and line of each value', () => {
    const config = parseConfig('[s]\n\nk = v\n', { filename: 'app.ini' });
    expect(config.locate('s', 'k')).toStrictEqual({ file: 'app.ini', line: 3 });
    expect(config.locate('s')).toStrictEqual({ file: 'app.ini', line: 1 });
    expect(config.file).toBe('app.ini');
  });
});

describe('parseConfig: project vectors (legacy 1.5)', () => {
  it('reads the legacy test file', () => {
    const text = [
      '[one]',
      'num = -12',
      'st = "o=k"',
      'lines = 1',
      '    two',
      '    3',
      'env = some ${__STUFF__}',
      '',
    ].join('\n');
    const config = parseConfig(text, { env });
    expect(config.getSection('one')).toStrictEqual({
      num: -12,
      st: 'o=k',
      lines: [1, 'two', 3],
      env: 'some stuff',
    });
    expect(() => parseConfig(text, { env: {} })).toThrow(/__STUFF__/);
  });
});

describe('Config.forHost on a parsed file (legacy 1.6)', () => {
  const config = parseConfig('[one]\ntwo = base\n[host:special]\none.two = special\n');

  it.each([
    ['special', 'special'],
    ['localhost', 'base'],
    ['special:80', 'base'],
  ])('Host %j reads %j', (host, expected) => {
    expect(config.forHost(host).get('one', 'two')).toBe(expected);
  });
});

describe('parseConfig: errors', () => {
  it.each([
    ['k = v\n[s]\n', 'SVC_ERR_CONFIG_NO_SECTION', 1],
    ['[s]\nbadline\n', 'SVC_ERR_CONFIG_SYNTAX', 2],
    ['[s]\n= v\n', 'SVC_ERR_CONFIG_SYNTAX', 2],
    ['[s]\n[]\n', 'SVC_ERR_CONFIG_SYNTAX', 2],
    ['[s] junk\n', 'SVC_ERR_CONFIG_SYNTAX', 1],
    ['[s]\n  indented = 1\n', 'SVC_ERR_CONFIG_SYNTAX', 2],
    ['  k = 1\n[s]\n', 'SVC_ERR_CONFIG_SYNTAX', 1],
    ['[s]\nk = 1\n[unclosed\n', 'SVC_ERR_CONFIG_UNCLOSED_SECTION', 3],
  ])('rejects %j with %s at line %i', (text, code, line) => {
    const error = thrown(() => parseConfig(text, { filename: 'bad.ini' }));
    expect([error.code, error.file, error.line]).toStrictEqual([code, 'bad.ini', line]);
    expect(error.message.startsWith(`bad.ini:${line}: `)).toBe(true);
  });

  it('reports the first mistake of the file, not a later one', () => {
    const early = thrown(() => parseConfig('[s]\nv = ${NOPE}\nbadline\n', { env }));
    expect([early.code, early.line]).toStrictEqual(['SVC_ERR_CONFIG_UNSET_VARIABLE', 2]);
    const late = thrown(() => parseConfig('[s]\nbadline\nv = ${NOPE}\n', { env }));
    expect([late.code, late.line]).toStrictEqual(['SVC_ERR_CONFIG_SYNTAX', 2]);
    const merged = thrown(() =>
      parseConfig('[a]\nx = 1\n[b]\ny = ${N1}\n[a]\nz = ${N2}\n', { env }),
    );
    expect(merged.line).toBe(4);
  });

  it('raises SVC_ERR_CONFIG_MISSING_KEY from require with the section location', () => {
    const config = parseConfig('[s]\nk = v\n', { filename: 'app.ini' });
    const error = thrown(() => config.require('s', 'absent'));
    expect([error.code, error.file, error.line]).toStrictEqual([
      'SVC_ERR_CONFIG_MISSING_KEY',
      'app.ini',
      1,
    ]);
  });
});

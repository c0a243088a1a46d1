import { describe, expect, it } from 'vitest';

import type { CefConfig, CefEvent } from './cef-event.js';
import { buildCefRecord, CEF_MAX_LENGTH, formatCef } from './format-cef.js';

// the common setup of the legacy vectors (legacy-behaviour.md 10.3)
const cefConfig: CefConfig = { vendor: 'mozilla', product: 'weave', version: 0, deviceVersion: 3 };
const date = new Date(2026, 0, 5, 13, 45, 7);
const request = {
  remoteAddress: '127.0.0.1',
  host: '127.0.0.1',
  path: '/',
  method: 'GET',
  userAgent: 'MySuperBrowser',
};
const prefix = 'Jan 05 13:45:07 server1 CEF:0|mozilla|weave|3|';
const builtIns =
  'cs1Label=requestClientApplication cs1=MySuperBrowser requestMethod=GET request=/ src=127.0.0.1 dhost=127.0.0.1';

function format(event: Partial<CefEvent>, config: CefConfig = cefConfig): string {
  return formatCef(
    { name: 'xx', severity: 5, date, hostname: 'server1', request, ...event },
    config,
  );
}

describe('formatCef', () => {
  it('escapes a pipe in the name and uses the name as the signature (vector 1)', () => {
    const line = format({ name: 'xx|x' });
    expect(line).toBe(`${prefix}xx\\|x|xx\\|x|5|${builtIns} suser=none`);
    expect(line.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(line.split('|')).toHaveLength(10);
  });

  it('defaults the signature to the name (vector 2)', () => {
    expect(format({ name: 'xx' })).toContain('|3|xx|xx|5|');
  });

  it('escapes = and \\ in the user agent but leaves | (vector 3)', () => {
    const line = format({ request: { ...request, userAgent: '=|\\' } });
    expect(line).toContain(' cs1=\\=|\\\\ requestMethod=GET ');
  });

  it('writes the username and an extra extension (vector 4)', () => {
    expect(format({ username: 'me', extensions: { custom1: 'ok' } })).toMatch(
      / suser=me custom1=ok$/,
    );
  });

  it('writes CR and LF in header fields as \\r and \\n text (vector 5, adjusted)', () => {
    const line = format({
      name: 'xx\nx|xx\rx',
      username: 'me',
      extensions: { ext1: 'ok=ok', ext2: 'ok\\ok' },
    });
    expect(line).toBe(
      `${prefix}xx\\nx\\|xx\\rx|xx\\nx\\|xx\\rx|5|${builtIns} suser=me ext1=ok\\=ok ext2=ok\\\\ok`,
    );
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('writes the line and paragraph separators U+2028 and U+2029 as \\u escapes', () => {
    const line = format({ name: 'a\u2028b', username: 'c\u2029d' });
    expect(line).toContain('|a\\u2028b|a\\u2028b|');
    expect(line).toContain(' suser=c\\u2029d');
    expect(line).not.toMatch(/[\u2028\u2029]/);
  });

  it('keeps the extensions that fit and drops the first that does not (vector 7)', () => {
    const record = buildCefRecord(
      {
        name: 'xx',
        severity: 5,
        date,
        hostname: 'server1',
        request,
        extensions: { custom1: 'ok', big: 'i'.repeat(500), bigger: 'u'.repeat(550) },
      },
      cefConfig,
    );
    expect(record.line).toContain(' custom1=ok big=iii');
    expect(record.line).not.toContain('bigger=');
    expect(record.droppedKeys).toEqual(['bigger']);
  });

  it('prints the legacy literals for absent request facts (vector 8)', () => {
    const line = formatCef({ name: 'Auth', severity: 7, date, hostname: 'server1' }, cefConfig);
    expect(line).toBe(
      'Jan 05 13:45:07 server1 CEF:0|mozilla|weave|3|Auth|Auth|7|cs1Label=requestClientApplication cs1=none requestMethod= request= src=None dhost=none suser=none',
    );
  });

  it('escapes a pipe in the vendor (vector 10, adjusted)', () => {
    expect(format({}, { ...cefConfig, vendor: 'a|b' })).toContain('CEF:0|a\\|b|weave|3|');
  });

  it('escapes every header field, not only name and signature', () => {
    const line = format({}, { vendor: 'v\\', product: 'p|', version: '0\n', deviceVersion: 'd\r' });
    expect(line).toContain('CEF:0\\n|v\\\\|p\\||d\\r|xx|');
  });

  it('escapes the signature (vector 11)', () => {
    expect(format({ name: 'n', severity: 1, signature: 'sig|x\\y' })).toContain(
      '|3|sig\\|x\\\\y|n|1|',
    );
  });

  it('writes an LF in an extension value as \\n text (vector 12, adjusted)', () => {
    const line = format({ extensions: { msg: 'line1\nline2|x=y' } });
    expect(line).toMatch(/ msg=line1\\nline2\|x\\=y$/);
  });

  it('escapes the values of src and suser', () => {
    const line = format({
      username: 'bob\nCEF:0|Vendor|Product|1|100|Login success|3|suser=admin',
      request: { ...request, remoteAddress: 'a=b' },
    });
    expect(line).toContain(' src=a\\=b ');
    expect(line).toMatch(
      / suser=bob\\nCEF:0\|Vendor\|Product\|1\|100\|Login success\|3\|suser\\=admin$/,
    );
  });

  it('writes other control characters and DEL as \\xHH', () => {
    const line = format({ name: 'a\u0000b\u001bc\u007f', extensions: { e: '\t\u0085' } });
    expect(line).toContain('|a\\x00b\\x1Bc\\x7F|');
    expect(line).toMatch(/ e=\\x09\\x85$/);
    // eslint-disable-next-line no-control-regex -- control characters are what is matched
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('replaces lone surrogates by U+FFFD', () => {
    expect(format({ extensions: { e: 'a\ud800b\udc00' } })).toMatch(/ e=a\ufffdb\ufffd$/);
    expect(format({ extensions: { e: '\ud83d\ude00' } })).toMatch(/ e=\ud83d\ude00$/);
  });

  it('escapes spaces and controls in the host name', () => {
    expect(format({ hostname: 'evil host\n' })).toMatch(/^Jan 05 13:45:07 evil\\x20host\\n CEF:/);
  });

  it('prints the date in local time with the day zero-padded on a 24-hour clock', () => {
    expect(format({ date: new Date(2026, 11, 31, 23, 0, 9) })).toMatch(/^Dec 31 23:00:09 /);
  });

  it('drops extension keys that are not valid CEF keys', () => {
    const record = buildCefRecord(
      {
        name: 'n',
        severity: 1,
        date,
        hostname: 'server1',
        extensions: { 'bad key': 'x', 'a=b': 'y', 'ok.key-1_': 'z' },
      },
      cefConfig,
    );
    expect(record.line).toMatch(/ suser=none ok\.key-1_=z$/);
    expect(record.invalidKeys).toEqual(['bad key', 'a=b']);
  });

  it('ignores built-in names passed as extensions', () => {
    const line = format({ extensions: { cs1: 'forged', suser: 'admin', src: '1.2.3.4' } });
    expect(line).toBe(`${prefix}xx|xx|5|${builtIns} suser=none`);
  });

  it('orders extra extensions by value length, key length, then key', () => {
    const line = format({ extensions: { bb: 'xx', a: 'xx', c: 'xxx', b: 'x', aa: 'xx' } });
    expect(line).toMatch(/ suser=none b=x a=xx aa=xx bb=xx c=xxx$/);
  });

  it('stringifies number and boolean extension values', () => {
    expect(format({ extensions: { n: 42, t: true } })).toMatch(/ n=42 t=true$/);
  });

  it('counts the escaped text against the 1024-character limit', () => {
    const fixed = format({});
    const room = CEF_MAX_LENGTH - fixed.length - ' e='.length;
    // each `=` takes two characters once escaped
    expect(format({ extensions: { e: '='.repeat(room / 2) } }).length).toBeLessThanOrEqual(
      CEF_MAX_LENGTH,
    );
    expect(format({ extensions: { e: '='.repeat(Math.floor(room / 2) + 1) } })).toBe(fixed);
    expect(format({ extensions: { e: 'x'.repeat(room) } })).toHaveLength(CEF_MAX_LENGTH);
  });

  it('counts characters, not UTF-16 units or bytes, against the limit', () => {
    const fixed = format({});
    const room = CEF_MAX_LENGTH - fixed.length - ' e='.length;
    const line = format({ extensions: { e: '\ud83d\ude00'.repeat(room) } });
    expect([...line]).toHaveLength(CEF_MAX_LENGTH);
  });

  it('never truncates the fixed part', () => {
    const long = 'n'.repeat(2000);
    const line = format({ name: long, extensions: { e: 'x' } });
    expect(line).toContain(`|${long}|${long}|5|`);
    expect(line).toMatch(/ suser=none$/);
  });

  it('clamps the severity to 0-10 and never prints NaN', () => {
    expect(format({ severity: 11 })).toContain('|xx|10|cs1Label');
    expect(format({ severity: -1 })).toContain('|xx|0|cs1Label');
    expect(format({ severity: 4.6 })).toContain('|xx|5|cs1Label');
    expect(format({ severity: Number.NaN })).toContain('|xx|Unknown|cs1Label');
  });

  it('defaults the date to now and the host to the machine name', async () => {
    const { hostname } = await import('node:os');
    const line = formatCef({ name: 'n', severity: 1 }, cefConfig);
    expect(line.slice(0, 15)).toMatch(/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}$/);
    expect(line.slice(16)).toMatch(new RegExp(`^${hostname().replace(/\./g, '\\.')} CEF:`));
  });
});

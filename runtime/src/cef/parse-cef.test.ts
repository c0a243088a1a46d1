import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CefConfig, CefEvent } from './cef-event.js';
import { wellFormed } from './escape-cef.js';
import { BUILT_IN_KEYS, formatCef } from './format-cef.js';
import { parseCef } from './parse-cef.js';

const date = new Date(2026, 0, 5, 13, 45, 7);

// any Unicode, with the characters that matter to CEF (and lone surrogates) made frequent
const unit = fc.oneof(
  fc.constantFrom('|', '\\', '=', '\r', '\n', ' ', '\u0000', '\u001b', '\u007f', '\u0085'),
  fc.constantFrom('\ud800', '\udfff', 'x\\', '\\n', '\\x41'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.string({ unit, maxLength: 8 });
const key = fc
  .stringMatching(/^[a-zA-Z0-9_\-.]{1,10}$/)
  .filter((candidate) => !BUILT_IN_KEYS.has(candidate));

const input = fc.record({
  cefConfig: fc.record({ vendor: text, product: text, version: text, deviceVersion: text }),
  name: text,
  signature: text,
  severity: fc.integer({ min: 0, max: 10 }),
  username: text,
  hostname: text,
  request: fc.record({
    method: text,
    path: text,
    host: text,
    userAgent: text,
    remoteAddress: text,
  }),
  extensions: fc.dictionary(key, text, { maxKeys: 4 }),
});

describe('parseCef', () => {
  it('reads back exactly the fields formatCef wrote, from a record without raw CR or LF', () => {
    fc.assert(
      fc.property(input, ({ cefConfig, ...fields }) => {
        const event: CefEvent = { ...fields, date };
        const line = formatCef(event, cefConfig as CefConfig);
        expect(line).not.toMatch(/[\r\n]/);
        // eslint-disable-next-line no-control-regex -- control characters are what is matched
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);

        const parsed = parseCef(line);
        expect(parsed.date).toBe('Jan 05 13:45:07');
        expect(parsed.host).toBe(wellFormed(fields.hostname));
        expect(parsed.version).toBe(wellFormed(cefConfig.version));
        expect(parsed.vendor).toBe(wellFormed(cefConfig.vendor));
        expect(parsed.product).toBe(wellFormed(cefConfig.product));
        expect(parsed.deviceVersion).toBe(wellFormed(cefConfig.deviceVersion));
        expect(parsed.signature).toBe(wellFormed(fields.signature));
        expect(parsed.name).toBe(wellFormed(fields.name));
        expect(parsed.severity).toBe(String(fields.severity));

        const { request } = fields;
        const builtIn: [string, string][] = [
          ['cs1Label', 'requestClientApplication'],
          ['cs1', wellFormed(request.userAgent)],
          ['requestMethod', wellFormed(request.method)],
          ['request', wellFormed(request.path)],
          ['src', wellFormed(request.remoteAddress)],
          ['dhost', wellFormed(request.host)],
          ['suser', wellFormed(fields.username)],
        ];
        expect(parsed.extensions.slice(0, 7)).toEqual(builtIn);
        const extras = Object.entries(fields.extensions).map(([name, value]): [string, string] => [
          name,
          wellFormed(value),
        ]);
        expect(new Map(parsed.extensions.slice(7))).toEqual(new Map(extras));
        expect(parsed.extensions).toHaveLength(7 + extras.length);
      }),
    );
  });

  it('reads a value ending in a backslash and the key after it', () => {
    const line = formatCef(
      { name: 'n', severity: 1, date, hostname: 'h', username: 'bob\\', extensions: { k: 'v' } },
      { vendor: 'v', product: 'p', version: 0, deviceVersion: 1 },
    );
    expect(line).toMatch(/ suser=bob\\\\ k=v$/);
    expect(parseCef(line).extensions.slice(-2)).toEqual([
      ['suser', 'bob\\'],
      ['k', 'v'],
    ]);
  });

  it('keeps a forged record inside the value of suser', () => {
    const forged = 'bob\nCEF:0|Vendor|Product|1|100|Login success|3|suser=admin';
    const line = formatCef(
      { name: 'n', severity: 1, date, hostname: 'h', username: forged },
      { vendor: 'v', product: 'p', version: 0, deviceVersion: 1 },
    );
    const parsed = parseCef(line);
    expect(parsed.extensions.filter(([name]) => name === 'suser')).toEqual([['suser', forged]]);
  });

  it('rejects a line that is not a CEF record', () => {
    expect(() => parseCef('Jan 05 13:45:07 host hello')).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_CEF_PARSE' }),
    );
    expect(() => parseCef('Jan 05 13:45:07 host CEF:0|a|b')).toThrow(/2 of 7 fields/);
  });
});

import { hostname } from 'node:os';

import { formatCefDate } from './cef-date.js';
import type { CefConfig, CefEvent } from './cef-event.js';
import {
  EXTENSION_KEY,
  escapeExtensionValue,
  escapeHeaderField,
  escapeHost,
  wellFormed,
} from './escape-cef.js';

/** The longest record, in characters (Unicode code points) of the escaped text, newline excluded. */
export const CEF_MAX_LENGTH = 1024;

/** The extension keys the record always carries; an extra extension by one of these names is ignored. */
export const BUILT_IN_KEYS: ReadonlySet<string> = new Set([
  'cs1Label',
  'cs1',
  'requestMethod',
  'request',
  'src',
  'dhost',
  'suser',
]);

/** A formatted record, with what had to be left out of it. */
export interface CefRecord {
  line: string;
  /** Extra extension keys that are not valid CEF keys, so were not written. */
  invalidKeys: string[];
  /** Extra extension keys left out because the record would have passed the length limit. */
  droppedKeys: string[];
}

/**
 * Formats one CEF record, without a trailing newline:
 *
 * `<date> <host> CEF:<version>|<vendor>|<product>|<device_version>|<signature>|<name>|<severity>|cs1Label=requestClientApplication cs1=<UA> requestMethod=<method> request=<path> src=<ip> dhost=<host> suser=<username>[ <k>=<v>]*`
 *
 * The date is printed in local time (`Jan 05 13:45:07`) and defaults to now; the host defaults to
 * the machine's name; the signature defaults to the name. Absent request facts print as the
 * legacy library printed them (`none`, an empty string, `None`). Header fields escape `\` and `|`,
 * extension values `\` and `=`, and no line break or other control character is ever written raw
 * (see docs/cef.md). Extra extensions are appended shortest value first while the record stays
 * within 1024 characters; an invalid key is left out.
 *
 * ```ts
 * formatCef({ name: 'AuthFail', severity: 5, username: 'bob' }, { vendor: 'mozilla',
 *   product: 'weave', version: 0, deviceVersion: 3 });
 * ```
 */
export function formatCef(event: CefEvent, cefConfig: CefConfig): string {
  return buildCefRecord(event, cefConfig).line;
}

/** `formatCef`, also telling which extra extensions were left out and why. */
export function buildCefRecord(event: CefEvent, cefConfig: CefConfig): CefRecord {
  const fixed = `${prefix(event)} CEF:${header(event, cefConfig)}|${builtInExtensions(event)}`;
  return appendExtensions(fixed, event.extensions ?? {});
}

function prefix(event: CefEvent): string {
  const date = event.date && !Number.isNaN(event.date.getTime()) ? event.date : new Date();
  return `${formatCefDate(date)} ${escapeHost(event.hostname ?? hostname())}`;
}

function header(event: CefEvent, cefConfig: CefConfig): string {
  const fields = [
    cefConfig.version,
    cefConfig.vendor,
    cefConfig.product,
    cefConfig.deviceVersion,
    event.signature ?? event.name,
    event.name,
    severityText(event.severity),
  ];
  return fields.map((field) => escapeHeaderField(String(field))).join('|');
}

// CEF severities are 0-10; a number outside is clamped, and a value that is not a number at all
// (possible from untyped callers) is written as CEF's own word for it rather than as `NaN`.
function severityText(severity: unknown): string {
  if (typeof severity !== 'number') return typeof severity === 'string' ? severity : 'Unknown';
  if (Number.isNaN(severity)) return 'Unknown';
  return String(Math.min(10, Math.max(0, Math.round(severity))));
}

function builtInExtensions(event: CefEvent): string {
  const request = event.request ?? {};
  const pairs: [string, string][] = [
    ['cs1Label', 'requestClientApplication'],
    ['cs1', request.userAgent ?? 'none'],
    ['requestMethod', request.method ?? ''],
    ['request', request.path ?? ''],
    ['src', request.remoteAddress ?? 'None'],
    ['dhost', request.host ?? 'none'],
    ['suser', event.username ?? 'none'],
  ];
  return pairs.map(([key, value]) => `${key}=${escapeExtensionValue(value)}`).join(' ');
}

function appendExtensions(
  fixed: string,
  extensions: NonNullable<CefEvent['extensions']>,
): CefRecord {
  const invalidKeys: string[] = [];
  const candidates: [string, string][] = [];
  for (const [key, value] of Object.entries(extensions)) {
    if (BUILT_IN_KEYS.has(key)) continue;
    if (EXTENSION_KEY.test(key)) candidates.push([key, String(value)]);
    else invalidKeys.push(key);
  }
  candidates.sort(byLegacyOrder);

  // the legacy rule: append while the record fits; the first extension that does not fit ends it
  let line = fixed;
  let length = codePoints(fixed);
  for (const [index, [key, value]] of candidates.entries()) {
    const pair = ` ${key}=${escapeExtensionValue(value)}`;
    const pairLength = codePoints(pair);
    if (length + pairLength > CEF_MAX_LENGTH) {
      return { line, invalidKeys, droppedKeys: candidates.slice(index).map(([name]) => name) };
    }
    line += pair;
    length += pairLength;
  }
  return { line, invalidKeys, droppedKeys: [] };
}

// shortest value first, then shortest key, then the key itself (the legacy library's order)
function byLegacyOrder([keyA, valueA]: [string, string], [keyB, valueB]: [string, string]): number {
  const byValue = codePoints(wellFormed(valueA)) - codePoints(wellFormed(valueB));
  if (byValue !== 0) return byValue;
  if (keyA.length !== keyB.length) return keyA.length - keyB.length;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    // a high surrogate followed by a low one is a single character
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

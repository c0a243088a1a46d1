import type { ConfigValue, ScalarValue } from './config.js';
import { interpolate, type ConfigEnv } from './interpolate.js';
import type { RawLine } from './parse-ini.js';
import { scanValue } from './scan-value.js';
import { unquote } from './unquote.js';

export interface ConvertOptions {
  env: ConfigEnv;
  here: string;
  file: string | undefined;
}

const INTEGER_PATTERN = /^-?[0-9]+$/;

/**
 * Converts an option's lines to its value. One line gives a scalar; continuation lines give a
 * list of the converted lines, with empty results dropped (as the legacy reader did).
 */
export function convertValue(lines: readonly RawLine[], options: ConvertOptions): ConfigValue {
  if (lines.length === 1) return convertLine(lines[0]!, options);
  const list: ScalarValue[] = [];
  for (const line of lines) {
    const value = convertLine(line, options);
    if (value !== '') list.push(value);
  }
  return list;
}

/**
 * One line, by the legacy rules in order: an integer; a quoted string (not interpolated); `true`
 * or `false` in any case; otherwise a string with `${NAME}` and `%(here)s` replaced. A value that
 * starts like a number but is not an integer (`1.3`, `10.0.0.1`) skips the quote and boolean
 * rules. A substituted result that is a plain integer or boolean is typed like a written one, so
 * `port = ${PORT:-8000}` reads as a number.
 */
function convertLine(line: RawLine, options: ConvertOptions): ScalarValue {
  const { text, quoted } = scanValue(line.text);
  if (quoted) return unquote(text.slice(1, -1));

  if (startsLikeNumber(text)) {
    const integer = toInteger(text);
    if (integer !== undefined) return integer;
  } else {
    if (text.length > 0 && text.startsWith('"') && text.endsWith('"')) {
      return unquote(text.slice(1, -1));
    }
    const boolean = toBoolean(text);
    if (boolean !== undefined) return boolean;
  }

  const location = { file: options.file, line: line.line };
  const result = interpolate(text, { env: options.env, here: options.here, location });
  return result.substituted ? typeSubstituted(result.text) : result.text;
}

function startsLikeNumber(text: string): boolean {
  const first = text.charCodeAt(0) === 0x2d ? text.charCodeAt(1) : text.charCodeAt(0);
  return first >= 0x30 && first <= 0x39;
}

/** An integer within the exactly representable range; larger ones stay strings. */
function toInteger(text: string): number | undefined {
  if (!INTEGER_PATTERN.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value + 0 : undefined;
}

function toBoolean(text: string): boolean | undefined {
  if (text.length !== 4 && text.length !== 5) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/**
 * Only text that reads back the same is typed, so a variable holding `007` or a huge number keeps
 * its digits as a string.
 */
function typeSubstituted(text: string): ScalarValue {
  const integer = toInteger(text);
  if (integer !== undefined && String(integer) === text) return integer;
  return toBoolean(text) ?? text;
}

import { isWhitespace } from './parse-ini.js';

/**
 * A value line with its inline comment removed and its outer spaces stripped. `quoted` marks a
 * value that is one double-quoted string (its quotes are still in `text`); a bare value has its
 * `\;` and `\#` escapes already turned into `;` and `#`.
 */
export interface ScannedValue {
  text: string;
  quoted: boolean;
}

/**
 * Reads one value line. A `;` starts a comment only when whitespace precedes it and it is outside
 * a quoted string; `#` never starts an inline comment. A line that opens with `"` is a quoted
 * string when its closing quote is followed by nothing but whitespace or a comment; otherwise the
 * whole line is a bare value, as the legacy reader saw it.
 */
export function scanValue(raw: string): ScannedValue {
  const start = skipWhitespace(raw, 0);
  if (raw.charCodeAt(start) === 0x22) {
    const close = closingQuote(raw, start);
    if (close !== -1 && isEndOfValue(raw, close + 1)) {
      return { text: raw.slice(start, close + 1), quoted: true };
    }
  }
  return { text: bareText(raw, start), quoted: false };
}

/** The index of the `"` that closes the string opened at `open`, skipping backslash pairs. */
function closingQuote(raw: string, open: number): number {
  for (let index = open + 1; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 0x5c) index++;
    else if (code === 0x22) return index;
  }
  return -1;
}

function isEndOfValue(raw: string, from: number): boolean {
  const next = skipWhitespace(raw, from);
  if (next === raw.length) return true;
  return next > from && raw.charCodeAt(next) === 0x3b;
}

/** The bare value up to its inline comment, unescaped and stripped, in one pass. */
function bareText(raw: string, start: number): string {
  const parts: string[] = [];
  let chunk = start;
  let end = raw.length;
  for (let index = start; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 0x5c && isEscapable(raw.charCodeAt(index + 1))) {
      parts.push(raw.slice(chunk, index));
      chunk = index + 1;
      index++;
    } else if (code === 0x3b && index > 0 && isWhitespace(raw.charCodeAt(index - 1))) {
      end = index;
      break;
    }
  }
  parts.push(raw.slice(chunk, end));
  return trimEnd(parts.join(''));
}

function isEscapable(code: number): boolean {
  return code === 0x3b || code === 0x23;
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  return index;
}

function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

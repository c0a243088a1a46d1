// CEF escaping. The ArcSight rules are: `\` and `|` are escaped in the header, `\` and `=` in
// extension values, and line breaks are written `\n` / `\r`. On top of that, no control
// character (C0, DEL, C1) is ever written raw: each becomes `\xHH` (two upper-case hex digits),
// which a reader shows as readable text and `parseCef` turns back into the character. The line
// and paragraph separators U+2028 and U+2029, which some readers split lines on, become `\uHHHH`
// the same way. Lone UTF-16 surrogates cannot be written as UTF-8, so they become U+FFFD before
// escaping.

// eslint-disable-next-line no-control-regex -- control characters are what is matched
const HEADER_SPECIALS = /[\\|\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- control characters are what is matched
const EXTENSION_SPECIALS = /[\\=\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// the host sits before the header, delimited by spaces, so a space is escaped there too
// eslint-disable-next-line no-control-regex -- control characters are what is matched
const HOST_SPECIALS = /[\\ \u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPE_SEQUENCE = /\\(?:x([0-9A-F]{2})|u(202[89])|([^]))/g;

/** Extension keys CEF readers accept; any other key is dropped rather than written. */
export const EXTENSION_KEY = /^[a-zA-Z0-9_\-.]+$/;

/** Escapes a header field (version, vendor, product, device version, signature, name, severity). */
export function escapeHeaderField(value: string): string {
  return wellFormed(value).replace(HEADER_SPECIALS, escapeCharacter);
}

/** Escapes an extension value. `|` needs no escape there. */
export function escapeExtensionValue(value: string): string {
  return wellFormed(value).replace(EXTENSION_SPECIALS, escapeCharacter);
}

/** Escapes the host name written before the CEF header. */
export function escapeHost(value: string): string {
  return wellFormed(value).replace(HOST_SPECIALS, escapeCharacter);
}

/** Reverses any of the escapes above. An unknown escape is kept as written. */
export function unescapeCef(text: string): string {
  return text.replace(
    ESCAPE_SEQUENCE,
    (sequence, hex?: string, separator?: string, char?: string) => {
      if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
      if (separator !== undefined) return String.fromCharCode(Number.parseInt(separator, 16));
      if (char === 'n') return '\n';
      if (char === 'r') return '\r';
      if (char === '\\' || char === '|' || char === '=') return char;
      return sequence;
    },
  );
}

/** The string with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder would write it. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}

function escapeCharacter(char: string): string {
  switch (char) {
    case '\\':
    case '|':
    case '=':
      return '\\' + char;
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\u2028':
      return '\\u2028';
    case '\u2029':
      return '\\u2029';
    default:
      return '\\x' + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * The text between the double quotes of a quoted value, with the escapes `JSON.stringify` writes
 * decoded: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f` and `\uXXXX`. Decoding exactly what it
 * writes is what lets `ini.safe()` and `formatIniValue` output read back unchanged (`\b` and `\f`
 * are how it writes backspace and form feed). Any other backslash stays as written, so a quoted
 * Windows path such as `"C:\data"` keeps its meaning.
 */
export function unquote(inner: string): string {
  if (!inner.includes('\\')) return inner;
  const parts: string[] = [];
  let chunk = 0;
  for (let index = 0; index < inner.length; index++) {
    if (inner.charCodeAt(index) !== 0x5c) continue;
    const decoded = decodeEscape(inner, index);
    if (decoded === undefined) continue;
    parts.push(inner.slice(chunk, index), decoded.text);
    index += decoded.length - 1;
    chunk = index + 1;
  }
  parts.push(inner.slice(chunk));
  return parts.join('');
}

function decodeEscape(inner: string, at: number): { text: string; length: number } | undefined {
  const letter = inner.charAt(at + 1);
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return { text: simple, length: 2 };
  if (letter !== 'u') return undefined;
  const hex = inner.slice(at + 2, at + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
  return { text: String.fromCharCode(Number.parseInt(hex, 16)), length: 6 };
}

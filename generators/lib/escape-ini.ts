/**
 * Text the runtime's reader takes as written when it stands bare after `key = `: no quotes, no
 * comment characters, no `${` or `%(`, nothing it would convert to a number or a boolean.
 */
const plainValue = /^[A-Za-z][A-Za-z0-9._:/@,+-]*$/;

/**
 * An INI value that the runtime's reader reads back as exactly `value`, as a string. Plain words
 * stay bare, so the file reads like one written by hand; anything else is a double-quoted JSON
 * string, which the reader decodes and never interpolates, so a `${HOME}`, a `;` or a line break
 * in an answer stays data and cannot start a key or a section.
 *
 * ```ts
 * iniValue('billing');          // billing
 * iniValue('a; b\n[auth]');     // "a; b\n[auth]"
 * ```
 */
export function iniValue(value: string): string {
  if (plainValue.test(value) && !/^(true|false)$/i.test(value)) return value;
  return JSON.stringify(value);
}

/**
 * Writes a string as an INI value that `parseConfig` reads back as exactly the same string: it is
 * always double-quoted with JSON escapes, so no `;`, `#`, `${`, `%(here)s`, newline, leading
 * space, number-like or `true`-like text can change its meaning or add a line. Use it for every
 * user-provided text written into a configuration file.
 *
 * ```ts
 * `name = ${formatIniValue('a ; b ${HOME}')}`; // name = "a ; b ${HOME}"
 * ```
 */
export function formatIniValue(value: string): string {
  // JSON leaves the line and paragraph separators raw; editors and other INI readers break lines
  // there, so they are written as escapes, which the reader decodes back.
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

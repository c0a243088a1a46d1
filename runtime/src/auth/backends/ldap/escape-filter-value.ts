/**
 * Escapes a string for use as an assertion value inside an LDAP search filter (RFC 4515 section
 * 3): `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`. Every other
 * character, non-ASCII included, is left as UTF-8, which the RFC allows.
 *
 * ```ts
 * `(uid=${escapeFilterValue('a)(uid=*')})`; // (uid=a\29\28uid=\2a)
 * ```
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (character) => filterEscapes[character]!);
}

const filterEscapes: Record<string, string> = {
  '*': '\\2a',
  '(': '\\28',
  ')': '\\29',
  '\\': '\\5c',
  '\0': '\\00',
};

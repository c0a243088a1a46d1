/**
 * The `WWW-Authenticate` value of every 401 (RFC 9110 §11.6.1 requires one on each): the Basic
 * scheme, the realm as a quoted-string (§5.6.4: `"` and `\` are escaped with a backslash) and
 * `charset="UTF-8"` (RFC 7617 §2.1).
 */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, '\\$&')}", charset="UTF-8"`;
}

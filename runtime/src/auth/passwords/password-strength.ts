/**
 * The legacy strength rule (`valid_password`): a password must be at least 8 UTF-8 bytes long and
 * must not be the user name, ignoring case and surrounding white space.
 *
 * ```ts
 * isStrongPassword('tarek', 'tttttttt'); // true
 * isStrongPassword('tarek', 'xx'); // false
 * ```
 */
export function isStrongPassword(username: string, password: string | null | undefined): boolean {
  if (typeof password !== 'string') return false;
  if (Buffer.byteLength(password, 'utf8') < 8) return false;
  return password.trim().toLowerCase() !== username.trim().toLowerCase();
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * The `userPassword` value written for a new or changed password: `{SSHA}` (RFC 2307 style,
 * base64(sha1(password + salt) + salt)) with a 16-byte random salt. It is computed here rather
 * than left to the server because a plain LDAP modify stores whatever it is given, and `{SSHA}` is
 * the one salted scheme that OpenLDAP, 389 Directory Server and most others verify without extra
 * modules. Logins never compare it here: the directory checks it during the bind.
 */
export function sshaUserPassword(password: string): string {
  const salt = randomBytes(16);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

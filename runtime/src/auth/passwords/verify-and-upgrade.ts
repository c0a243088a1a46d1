import { hashPassword, needsRehash, verifyPassword } from './hash-password.js';

/**
 * Verifies a password and, when it matches a hash that `needsRehash`, hashes it again with the
 * current scheme and hands the new hash to `replace`. The backend does an atomic compare-and-set
 * there (`UPDATE ... WHERE hash = <old>`), so concurrent logins never overwrite each other's
 * upgrade with a stale value. An error thrown by `replace` propagates; a backend that wants the
 * login to succeed anyway catches it inside `replace`.
 *
 * ```ts
 * const ok = await verifyAndUpgrade(password, row.hash, (next) => store.swap(row.id, row.hash, next));
 * ```
 */
export async function verifyAndUpgrade(
  password: string,
  stored: string,
  replace: (newHash: string) => Promise<void>,
): Promise<boolean> {
  if (!(await verifyPassword(password, stored))) return false;
  if (needsRehash(stored)) await replace(await hashPassword(password));
  return true;
}

import { isSecretKey } from '../config/secret-key.js';

const MASK = '********';
// scheme "://" then the user info up to the last "@" of the authority (a password may hold "@")
const URI_USER_INFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#]*@/g;

/**
 * Returns a copy of `value` that is safe to show: the value of every key that looks secret
 * (its name contains password, passwd, secret, key, token, credential, salt or pwd, in any case)
 * becomes `********`, whatever its type, and the user info of every URI in any string, at any
 * depth and inside lists, becomes `****:****`. Used by the debug and heartbeat pages.
 *
 * ```ts
 * maskSecrets({ 'auth.sqluri': 'mysql://sync:secret@db/sync', 'auth.password': 'x' });
 * // { 'auth.sqluri': 'mysql://****:****@db/sync', 'auth.password': '********' }
 * ```
 */
export function maskSecrets(value: unknown): unknown {
  return maskValue(value, new WeakSet());
}

/** Masks the user info of every URI in a string. */
export function maskUriUserInfo(text: string): string {
  return text.replace(URI_USER_INFO, '$1****:****@');
}

function maskValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskUriUserInfo(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);

  if (Array.isArray(value)) return value.map((item) => maskValue(item, seen));
  if (value instanceof Map)
    return maskEntries(
      [...value.entries()].map(([key, item]) => [String(key), item]),
      seen,
    );
  return maskEntries(Object.entries(value), seen);
}

function maskEntries(entries: [string, unknown][], seen: WeakSet<object>): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    masked[maskUriUserInfo(key)] = isSecretKey(key) ? MASK : maskValue(item, seen);
  }
  return masked;
}

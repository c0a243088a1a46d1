import type { UserBackend } from '../types.js';
import { withMethods } from '../with-methods.js';
import { AuthCache, type AuthCacheOptions } from './auth-cache.js';

/**
 * Wraps a backend so that `authenticate` answers from an `AuthCache` when it can. Password changes
 * and deletions made through the wrapper drop the user's entries; changes made elsewhere (another
 * process, the database directly) are seen only once the entry expires.
 */
export function withAuthCache(backend: UserBackend, options: AuthCacheOptions): UserBackend {
  const cache = new AuthCache(options);
  // bumped by every change; a login that began before one is not cached, since it may have
  // checked the old password
  let changes = 0;
  return withMethods(backend, { authenticate, changePassword, delete: remove });

  async function authenticate(
    ...args: Parameters<UserBackend['authenticate']>
  ): ReturnType<UserBackend['authenticate']> {
    const [{ username, password }] = args;
    const cached = cache.get(username, password);
    if (cached) return cached;
    const before = changes;
    const user = await backend.authenticate(...args);
    if (user && before === changes) cache.set(username, password, user);
    return user;
  }

  async function changePassword(username: string, password: string): Promise<boolean> {
    try {
      return await backend.changePassword(username, password);
    } finally {
      changes += 1;
      cache.forget(username);
    }
  }

  async function remove(username: string): Promise<boolean> {
    try {
      return await backend.delete(username);
    } finally {
      changes += 1;
      cache.forget(username);
    }
  }
}

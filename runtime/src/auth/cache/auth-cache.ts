import { createHmac, randomBytes } from 'node:crypto';
import type { User } from '../types.js';

export interface AuthCacheOptions {
  /** Seconds a successful login is remembered. */
  ttl: number;
  /** Most entries kept; the least recently used goes first. */
  size: number;
  /** Milliseconds since some origin; `Date.now` unless a test supplies a clock. */
  now?: () => number;
}

interface Entry {
  user: User;
  username: string;
  expires: number;
}

/**
 * Remembers successful logins for `ttl` seconds so that a client sending the same credentials on
 * every request does not pay a password hash each time. The key is an HMAC of user name and
 * password under a key made at start, so neither the password nor anything that could be checked
 * offline without that key is kept; the value is only the resulting user. Failures are never
 * cached.
 */
export class AuthCache {
  readonly #key = randomBytes(32);
  readonly #entries = new Map<string, Entry>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #ttl: number;
  readonly #size: number;
  readonly #now: () => number;

  constructor(options: AuthCacheOptions) {
    this.#ttl = options.ttl * 1000;
    this.#size = Math.max(1, options.size);
    this.#now = options.now ?? Date.now;
  }

  get(username: string, password: string): User | undefined {
    const key = this.#keyFor(username, password);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#remove(key, entry);
      return undefined;
    }
    // re-inserting moves the entry to the end of the Map, the most recently used position
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.user;
  }

  set(username: string, password: string, user: User): void {
    const key = this.#keyFor(username, password);
    const previous = this.#entries.get(key);
    if (previous) this.#remove(key, previous);
    this.#entries.set(key, { user, username, expires: this.#now() + this.#ttl });
    this.#keysOf(username).add(key);
    while (this.#entries.size > this.#size) this.#evictOldest();
  }

  /** Drops every entry of a user, after a password change or a deletion. */
  forget(username: string): void {
    for (const key of this.#byUser.get(username) ?? []) this.#entries.delete(key);
    this.#byUser.delete(username);
  }

  get size(): number {
    return this.#entries.size;
  }

  #keyFor(username: string, password: string): string {
    return createHmac('sha256', this.#key).update(`${username}\0${password}`).digest('base64');
  }

  #keysOf(username: string): Set<string> {
    let keys = this.#byUser.get(username);
    if (!keys) {
      keys = new Set();
      this.#byUser.set(username, keys);
    }
    return keys;
  }

  #evictOldest(): void {
    const oldest = this.#entries.entries().next();
    if (!oldest.done) this.#remove(oldest.value[0], oldest.value[1]);
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    const keys = this.#byUser.get(entry.username);
    keys?.delete(key);
    if (keys?.size === 0) this.#byUser.delete(entry.username);
  }
}

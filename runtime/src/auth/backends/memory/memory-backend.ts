import { ConfigError } from '../../../errors/config-error.js';
import type { Logger } from '../../../log/logger.js';
import { hashPassword, isMalformedHash } from '../../passwords/hash-password.js';
import { verifyAndUpgrade } from '../../passwords/verify-and-upgrade.js';
import type {
  BackendContext,
  BackendOptions,
  Credentials,
  User,
  UserBackend,
} from '../../types.js';
import { userExists } from '../backend-errors.js';

interface StoredUser {
  id: number;
  hash: string;
  attributes: Record<string, unknown>;
}

/**
 * A user backend that keeps users in the process: the ones listed in `[auth] users`, one
 * `username:stored-hash` per continuation line (any supported scheme), and those created since
 * start. Legacy hashes are replaced by scrypt on the first successful login. For development,
 * tests and small fixed sets of users; nothing survives a restart.
 *
 * ```ini
 * [auth]
 * backend = memory
 * users = alice:$scrypt$ln=15,r=8,p=1$...
 *     bob:{SSHA}NBtDxvONZfbDfFzJLGaG7AvSOeFhYmNkZWZnaA==
 * ```
 */
export class MemoryBackend implements UserBackend {
  readonly name = 'memory';
  readonly #users = new Map<string, StoredUser>();
  readonly #logger: Logger;
  #nextId = 1;

  constructor(entries: Iterable<[string, string]>, logger: Logger) {
    this.#logger = logger;
    for (const [username, hash] of entries) this.#store(username, hash, {});
  }

  async authenticate({ username, password }: Credentials): Promise<User | null> {
    const stored = this.#users.get(username);
    if (!stored || password === '') return null;
    if (isMalformedHash(stored.hash)) {
      this.#logger.warn('auth.malformed_hash', { backend: this.name, user: username });
      return null;
    }
    const previous = stored.hash;
    const valid = await verifyAndUpgrade(password, previous, async (next) => {
      // compare-and-set: a password changed meanwhile must not be overwritten by the upgrade
      if (stored.hash === previous) stored.hash = next;
    });
    return valid ? this.#user(username, stored) : null;
  }

  async lookup(username: string): Promise<User | null> {
    const stored = this.#users.get(username);
    return stored ? this.#user(username, stored) : null;
  }

  async create(
    username: string,
    password: string,
    attributes: Record<string, unknown> = {},
  ): Promise<User> {
    if (this.#users.has(username)) throw userExists(username);
    const hash = await hashPassword(password);
    // a concurrent create of the same name may have finished while hashing
    if (this.#users.has(username)) return this.create(username, password, attributes);
    return this.#user(username, this.#store(username, hash, attributes));
  }

  async changePassword(username: string, password: string): Promise<boolean> {
    const stored = this.#users.get(username);
    if (!stored) return false;
    stored.hash = await hashPassword(password);
    return true;
  }

  async delete(username: string): Promise<boolean> {
    return this.#users.delete(username);
  }

  async list(): Promise<string[]> {
    return [...this.#users.keys()].sort();
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {}

  /** The stored hash of a user, for tests of the upgrade path. */
  storedHash(username: string): string | undefined {
    return this.#users.get(username)?.hash;
  }

  #store(username: string, hash: string, attributes: Record<string, unknown>): StoredUser {
    const stored = { id: this.#nextId++, hash, attributes: { ...attributes } };
    this.#users.set(username, stored);
    return stored;
  }

  #user(username: string, stored: StoredUser): User {
    return { username, id: stored.id, attributes: { ...stored.attributes } };
  }
}

/**
 * The `memory` backend's factory, as the registry calls it: `users` is read from the options, a
 * line without `name:hash` is a `ConfigError` at the `users` key.
 */
export function createMemoryBackend(
  options: BackendOptions,
  context: BackendContext,
): MemoryBackend {
  const lines = options.users === undefined ? [] : [options.users].flat();
  const entries: [string, string][] = [];
  for (const line of lines.map((value) => String(value).trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || colon === line.length - 1) {
      throw new ConfigError(
        'SVC_ERR_AUTH_BAD_USER_LINE',
        `[auth] users: "${line.slice(0, Math.max(colon, 0)) || '?'}" must be written username:stored-hash`,
        context.config.locate('auth', 'users'),
      );
    }
    entries.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return new MemoryBackend(entries, context.logger);
}

import createDebug from 'debug';
import { Kysely, sql } from 'kysely';
import { BackendError } from '../../../errors/backend-error.js';
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
import { invalidInput, userExists } from '../backend-errors.js';
import { createDialect } from './sql-dialect.js';
import { isUniqueViolation, sqlUnavailable } from './sql-errors.js';
import { readSqlOptions, type SqlOptions } from './sql-options.js';
import { createUsersTable, type UsersDatabase } from './sql-schema.js';

const debug = createDebug('services:auth:sql');

/**
 * Builds the SQL user backend (SQLite, PostgreSQL or MySQL/MariaDB through kysely) from the
 * `[auth]` options: `sqluri`, `pool_size` (10), `connect_timeout` and `query_timeout` (5 s),
 * `create_tables` (true), `table` (`users`), `check_account_state` (true). See docs/backends.md.
 *
 * Every query is parameterised and bounded in time. Wrong credentials, a disabled account and a
 * stored hash that cannot be read give `null`; a database that is down, refuses connections or
 * does not answer in time gives a `BackendError` (503). A legacy hash is replaced on a successful
 * login with a compare-and-set, so concurrent logins never overwrite each other.
 *
 * ```ini
 * [auth]
 * backend = sql
 * sqluri = postgresql://app@db.internal:5432/app
 * ```
 */
export async function createSqlBackend(
  options: BackendOptions,
  context: BackendContext,
): Promise<UserBackend> {
  const parsed = readSqlOptions(options, context);
  const dialect = await createDialect(parsed, context.logger, context.location);
  const db = new Kysely<UsersDatabase>({ dialect });
  const backend = new SqlBackend(
    parsed,
    parsed.schema === undefined ? db : db.withSchema(parsed.schema),
    db,
    context.logger,
  );
  if (parsed.createTables) {
    try {
      await backend.bounded('create table', () =>
        createUsersTable(backend.db, parsed.target.dialect, parsed.table),
      );
    } catch (error) {
      await db.destroy().catch(() => {});
      throw error;
    }
  }
  return backend;
}

class SqlBackend implements UserBackend {
  readonly name = 'sql';

  constructor(
    private readonly options: SqlOptions,
    readonly db: Kysely<UsersDatabase>,
    private readonly root: Kysely<UsersDatabase>,
    private readonly logger: Logger,
  ) {}

  async authenticate(credentials: Credentials): Promise<User | null> {
    const { username, password } = credentials;
    if (!isUsableText(username) || !isUsableText(password)) return null;

    const row = await this.findRow(username);
    if (!row) return null;
    if (this.options.checkAccountState && Number(row.account_status) !== 1) {
      debug('login refused: account %s is disabled', row.id);
      return null;
    }
    const stored = row.password;
    if (typeof stored !== 'string' || isMalformedHash(stored)) {
      this.logger.error('auth.sql.malformed_hash', { userId: row.id });
      return null;
    }

    const verified = await verifyAndUpgrade(password, stored, (next) =>
      this.replaceHash(row.username, stored, next),
    );
    return verified ? toUser(row) : null;
  }

  async lookup(username: string): Promise<User | null> {
    if (!isUsableText(username)) return null;
    const row = await this.findRow(username);
    return row ? toUser(row) : null;
  }

  async create(
    username: string,
    password: string,
    attributes: Record<string, unknown> = {},
  ): Promise<User> {
    if (!isUsableText(username) || !isUsableText(password)) {
      throw invalidInput('user name and password must be non-empty strings');
    }
    const mail = typeof attributes['mail'] === 'string' ? attributes['mail'] : null;
    const hash = await hashPassword(password);
    try {
      await this.bounded('insert', () =>
        this.db.insertInto(this.options.table).values({ username, password: hash, mail }).execute(),
      );
    } catch (error) {
      if (isUniqueViolation(error instanceof BackendError ? error.cause : error)) {
        throw userExists(username);
      }
      throw error;
    }
    const row = await this.findRow(username);
    if (!row) throw new BackendError('SQL insert left no row', { backend: 'sql' });
    return toUser(row);
  }

  async changePassword(username: string, password: string): Promise<boolean> {
    if (!isUsableText(username)) return false;
    if (!isUsableText(password)) {
      throw invalidInput('a password must be a non-empty string');
    }
    const hash = await hashPassword(password);
    const result = await this.bounded('update', () =>
      this.db
        .updateTable(this.options.table)
        .set({ password: hash })
        .where('username', '=', username)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(username: string): Promise<boolean> {
    if (!isUsableText(username)) return false;
    const result = await this.bounded('delete', () =>
      this.db.deleteFrom(this.options.table).where('username', '=', username).executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  async list(): Promise<string[]> {
    const rows = await this.bounded('select', () =>
      this.db.selectFrom(this.options.table).select('username').orderBy('username').execute(),
    );
    return rows.map((row) => row.username);
  }

  async check(): Promise<void> {
    await this.bounded('check', () => sql`select 1`.execute(this.root));
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  /**
   * Runs one database step within `connect_timeout + query_timeout`, and turns any failure into a
   * `BackendError`. The drivers bound most waits themselves; this also covers those they do not
   * (a MySQL query on a connection whose server stopped answering).
   */
  async bounded<T>(operation: string, step: () => Promise<T>): Promise<T> {
    const limit = this.options.connectTimeoutMs + this.options.queryTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${limit / 1000} s`)), limit);
    });
    try {
      return await Promise.race([step(), deadline]);
    } catch (error) {
      debug('%s failed: %O', operation, error);
      throw sqlUnavailable(error, operation);
    } finally {
      clearTimeout(timer);
    }
  }

  private async findRow(username: string) {
    const rows = await this.bounded('select', () =>
      this.db
        .selectFrom(this.options.table)
        .select(['id', 'username', 'password', 'account_status', 'mail'])
        .where('username', '=', username)
        .execute(),
    );
    // a column that compares without case or trailing spaces (a MySQL table made elsewhere) may
    // return a near match; only the exact name counts
    return rows.find((row) => row.username === username);
  }

  /** The compare-and-set of a hash upgrade; a failure leaves the old hash, which still works. */
  private async replaceHash(username: string, old: string, next: string): Promise<void> {
    try {
      await this.bounded('rehash', () =>
        this.db
          .updateTable(this.options.table)
          .set({ password: next })
          .where('username', '=', username)
          .where('password', '=', old)
          .execute(),
      );
    } catch (error) {
      this.logger.warn('auth.sql.rehash_failed', { reason: (error as Error).message });
    }
  }
}

/** Strings only (a driver would expand an object or array, mysqljs/mysql#2554), non-empty, no NUL
 * (PostgreSQL refuses it in text, and no real name or password holds one). */
function isUsableText(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !value.includes('\0');
}

function toUser(row: {
  id: number;
  username: string;
  mail: string | null;
  account_status: number;
}): User {
  const attributes: Record<string, unknown> = { account_status: Number(row.account_status) };
  if (row.mail !== null) attributes['mail'] = row.mail;
  return { username: row.username, id: Number(row.id), attributes };
}

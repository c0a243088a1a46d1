import { MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { ConfigError } from '../../../errors/config-error.js';
import type { ConfigLocation } from '../../../config/config.js';
import type { Logger } from '../../../log/logger.js';
import type BetterSqlite3 from 'better-sqlite3';
import type * as mysql2 from 'mysql2';
import type * as pg from 'pg';
import type { SqlOptions } from './sql-options.js';

/** Loads a driver package; replaced in tests to act out a missing one. */
export type ModuleLoader = (name: string) => Promise<unknown>;

const packages = { sqlite: 'better-sqlite3', postgres: 'pg', mysql: 'mysql2' } as const;

/**
 * Builds the kysely dialect for the configured database, importing its driver only now: the
 * drivers are optional peer dependencies, and a service installs the one it uses. A missing driver
 * is a `ConfigError` (`SVC_ERR_AUTH_SQL_DRIVER`) naming the package to install.
 *
 * Every connection is bounded in time: the PostgreSQL pool waits at most `connect_timeout` for a
 * connection and the server cancels statements after `query_timeout`; MySQL connections give up
 * after `connect_timeout`; SQLite waits at most `query_timeout` for a lock held by another process.
 */
export async function createDialect(
  options: SqlOptions,
  logger: Logger,
  location: ConfigLocation,
  load: ModuleLoader = (name) => import(name),
): Promise<Dialect> {
  const { target } = options;
  const driver = await loadDriver(packages[target.dialect], load, location);

  switch (target.dialect) {
    case 'sqlite': {
      const Database = defaultExport(driver) as typeof BetterSqlite3;
      return new SqliteDialect({
        database: async () => new Database(target.filename, { timeout: options.queryTimeoutMs }),
      });
    }
    case 'postgres': {
      const { Pool } = defaultExport(driver) as typeof pg;
      const pool = new Pool({
        connectionString: target.connectionString,
        max: options.poolSize,
        connectionTimeoutMillis: options.connectTimeoutMs,
        query_timeout: options.queryTimeoutMs,
        statement_timeout: options.queryTimeoutMs,
      });
      // a connection the server drops emits 'error' on the pool when idle and on the client when
      // checked out; without listeners either one ends the process. The query in flight still
      // rejects, and the pool discards the dead connection on release.
      pool.on('error', (error) =>
        logger.warn('auth.sql.connection_lost', { reason: error.message }),
      );
      pool.on('connect', (client) => client.on('error', () => {}));
      return new PostgresDialect({ pool });
    }
    case 'mysql': {
      const { createPool } = defaultExport(driver) as typeof mysql2;
      const pool = createPool({
        uri: target.uri,
        connectionLimit: options.poolSize,
        connectTimeout: options.connectTimeoutMs,
        // objects and arrays as values would be expanded into SQL (mysqljs/mysql#2554)
        stringifyObjects: true,
        enableKeepAlive: true,
      });
      return new MysqlDialect({ pool });
    }
  }
}

async function loadDriver(
  name: string,
  load: ModuleLoader,
  location: ConfigLocation,
): Promise<unknown> {
  try {
    return await load(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new ConfigError(
      'SVC_ERR_AUTH_SQL_DRIVER',
      `the sql backend needs the ${name} package for this sqluri: run npm install ${name}`,
      location,
      { cause: error },
    );
  }
}

function defaultExport(module: unknown): unknown {
  return (module as { default?: unknown }).default ?? module;
}

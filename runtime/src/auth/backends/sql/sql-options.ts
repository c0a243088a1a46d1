import type { ConfigValue } from '../../../config/config.js';
import { secondsToMilliseconds } from '../../../config/seconds.js';
import { ConfigError } from '../../../errors/config-error.js';
import type { BackendContext, BackendOptions } from '../../types.js';
import { optionLocation } from '../backend-errors.js';
import { parseSqlUri, type SqlTarget } from './sql-uri.js';

/** The `[auth]` options of the SQL backend, checked and with their defaults applied. */
export interface SqlOptions {
  target: SqlTarget;
  poolSize: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  createTables: boolean;
  /** The schema (PostgreSQL) or database (MySQL) holding the table, when `table` names one. */
  schema: string | undefined;
  table: string;
  checkAccountState: boolean;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads and checks the SQL options. A mistake is a `ConfigError` pointing at the key: an
 * unreadable `sqluri` is `SVC_ERR_AUTH_SQL_URI`, any other bad value `SVC_ERR_AUTH_SQL_OPTIONS`.
 */
export function readSqlOptions(options: BackendOptions, context: BackendContext): SqlOptions {
  const fail = (code: string, key: string, message: string): never => {
    throw new ConfigError(code, message, optionLocation(context, key));
  };
  const value = (key: string): ConfigValue | undefined => options[key];

  const uri = value('sqluri');
  if (typeof uri !== 'string' || uri === '') {
    fail('SVC_ERR_AUTH_SQL_URI', 'sqluri', '[auth] sqluri is required for the sql backend');
  }
  const target = parseSqlUri(uri as string, context.config.file);
  if (target === undefined) {
    fail(
      'SVC_ERR_AUTH_SQL_URI',
      'sqluri',
      '[auth] sqluri must start with sqlite:, postgresql://, postgres:// or mysql:// and name a file or host',
    );
  }

  const integer = (key: string, fallback: number): number => {
    const given = value(key);
    if (given === undefined) return fallback;
    if (typeof given !== 'number' || !(given > 0)) {
      fail('SVC_ERR_AUTH_SQL_OPTIONS', key, `[auth] ${key} must be a positive number`);
    }
    return given as number;
  };
  const milliseconds = (key: string, fallbackSeconds: number): number => {
    const given = value(key);
    if (given === undefined) return fallbackSeconds * 1000;
    const converted = secondsToMilliseconds(given);
    if (converted === undefined || converted === 0) {
      fail('SVC_ERR_AUTH_SQL_OPTIONS', key, `[auth] ${key} must be a positive number of seconds`);
    }
    return converted as number;
  };
  const boolean = (key: string, fallback: boolean): boolean => {
    const given = value(key);
    if (given === undefined) return fallback;
    if (typeof given !== 'boolean')
      fail('SVC_ERR_AUTH_SQL_OPTIONS', key, `[auth] ${key} must be true or false`);
    return given as boolean;
  };

  const table = value('table') ?? 'users';
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => identifier.test(part))) {
    fail(
      'SVC_ERR_AUTH_SQL_OPTIONS',
      'table',
      '[auth] table must be an identifier (letters, digits, _; at most 63) or schema.table',
    );
  }

  return {
    target: target as SqlTarget,
    poolSize: Math.floor(integer('pool_size', 10)),
    connectTimeoutMs: milliseconds('connect_timeout', 5),
    queryTimeoutMs: milliseconds('query_timeout', 5),
    createTables: boolean('create_tables', true),
    schema: parts.length === 2 ? parts[0] : undefined,
    table: parts[parts.length - 1]!,
    checkAccountState: boolean('check_account_state', true),
  };
}

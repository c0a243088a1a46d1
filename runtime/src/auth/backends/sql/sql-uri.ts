import { isAbsolute, resolve } from 'node:path';
import { configFolder } from '../../../config/config-folder.js';

/** Where the SQL backend connects, as read from `sqluri`. */
export type SqlTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; connectionString: string }
  | { dialect: 'mysql'; uri: string };

/**
 * Reads a `sqluri`. SQLite: `sqlite:///absolute/path.db`, `sqlite:relative.db` (relative to the
 * directory of the config file, or the working directory without one) or `sqlite::memory:`.
 * PostgreSQL: `postgresql://user@host:port/db` (or `postgres://`). MySQL and MariaDB:
 * `mysql://user:password@host:port/db`. Returns `undefined` for anything else.
 */
export function parseSqlUri(uri: string, configFile: string | undefined): SqlTarget | undefined {
  const scheme = /^([a-z][a-z0-9+]*):/i.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite':
      return sqliteTarget(uri.slice('sqlite:'.length), configFile);
    case 'postgres':
    case 'postgresql':
      return hasHost(uri) ? { dialect: 'postgres', connectionString: uri } : undefined;
    case 'mysql':
      return hasHost(uri) ? { dialect: 'mysql', uri } : undefined;
    default:
      return undefined;
  }
}

/** The URI with any password replaced by `***`, for messages and logs. */
export function redactSqlUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function sqliteTarget(rest: string, configFile: string | undefined): SqlTarget | undefined {
  if (rest === ':memory:') return { dialect: 'sqlite', filename: ':memory:' };
  if (rest.startsWith('//')) {
    // sqlite:///abs/path.db: an empty authority, then an absolute path
    const path = rest.slice(2);
    return isAbsolute(path) && path.length > 1
      ? { dialect: 'sqlite', filename: resolve(path) }
      : undefined;
  }
  if (rest === '' || rest.startsWith('/'))
    return rest === '' ? undefined : { dialect: 'sqlite', filename: rest };
  return { dialect: 'sqlite', filename: resolve(configFolder(configFile), rest) };
}

function hasHost(uri: string): boolean {
  try {
    return new URL(uri).hostname !== '';
  } catch {
    return false;
  }
}

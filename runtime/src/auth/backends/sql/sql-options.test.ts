import { describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { silentLogger } from '../../../log/logger.js';
import type { BackendOptions } from '../../types.js';
import { createSqlBackend } from './sql-backend.js';
import { createDialect } from './sql-dialect.js';
import { readSqlOptions } from './sql-options.js';

const location = { file: 'app.ini', line: 3 };
const context = () => ({
  config: Config.fromObject({ auth: {} }, '/srv/app/app.ini'),
  logger: silentLogger,
  location,
});

describe('readSqlOptions', () => {
  it('applies the defaults', () => {
    expect(readSqlOptions({ sqluri: 'sqlite:users.db' }, context())).toEqual({
      target: { dialect: 'sqlite', filename: '/srv/app/users.db' },
      poolSize: 10,
      connectTimeoutMs: 5000,
      queryTimeoutMs: 5000,
      createTables: true,
      schema: undefined,
      table: 'users',
      checkAccountState: true,
    });
  });

  it('splits schema.table', () => {
    expect(
      readSqlOptions({ sqluri: 'sqlite::memory:', table: 'auth.people' }, context()),
    ).toMatchObject({
      schema: 'auth',
      table: 'people',
    });
  });

  it('refuses a missing or unreadable sqluri with SVC_ERR_AUTH_SQL_URI', () => {
    for (const options of [{}, { sqluri: 'oracle://db/x' }, { sqluri: 3 }] as BackendOptions[]) {
      expect(() => readSqlOptions(options, context())).toThrow(
        expect.objectContaining({ code: 'SVC_ERR_AUTH_SQL_URI', file: 'app.ini', line: 3 }),
      );
    }
  });

  it('refuses table names that are not identifiers', () => {
    for (const table of ['users; drop table x', 'a.b.c', '1users', 'us"ers', '', 'x'.repeat(64)]) {
      expect(() => readSqlOptions({ sqluri: 'sqlite::memory:', table }, context())).toThrow(
        expect.objectContaining({ code: 'SVC_ERR_AUTH_SQL_OPTIONS' }),
      );
    }
  });

  it('refuses values of the wrong type', () => {
    expect(() =>
      readSqlOptions({ sqluri: 'sqlite::memory:', pool_size: 'ten' }, context()),
    ).toThrow(expect.objectContaining({ code: 'SVC_ERR_AUTH_SQL_OPTIONS' }));
    expect(() =>
      readSqlOptions({ sqluri: 'sqlite::memory:', create_tables: 'yes' }, context()),
    ).toThrow(expect.objectContaining({ code: 'SVC_ERR_AUTH_SQL_OPTIONS' }));
  });
});

describe('createDialect', () => {
  it('names the npm package to install when the driver is missing', async () => {
    const missing = async (name: string): Promise<never> => {
      throw Object.assign(new Error(`Cannot find package '${name}'`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    for (const [sqluri, name] of [
      ['sqlite::memory:', 'better-sqlite3'],
      ['postgresql://u@h/d', 'pg'],
      ['mysql://u@h/d', 'mysql2'],
    ] as const) {
      const options = readSqlOptions({ sqluri }, context());
      await expect(createDialect(options, silentLogger, location, missing)).rejects.toMatchObject({
        code: 'SVC_ERR_AUTH_SQL_DRIVER',
        message: expect.stringContaining(`npm install ${name}`),
      });
    }
  });
});

describe('createSqlBackend', () => {
  it('works on an in-memory SQLite database', async () => {
    const backend = await createSqlBackend({ sqluri: 'sqlite::memory:' }, context());
    await backend.create('zoe', 'zoe password');
    expect(
      await backend.authenticate({ username: 'zoe', password: 'zoe password' }),
    ).not.toBeNull();
    expect(await backend.list()).toEqual(['zoe']);
    await backend.close();
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { createMemoryLogger, silentLogger } from '../../../log/logger.js';
import type { BackendOptions, UserBackend } from '../../types.js';
import { createSqlBackend } from './sql-backend.js';
import { createDialect } from './sql-dialect.js';
import { readSqlOptions } from './sql-options.js';
import type { UsersDatabase } from './sql-schema.js';

const suffix = randomBytes(4).toString('hex');
const location = { file: 'test.ini', line: 1 };

function context(logger = createMemoryLogger()) {
  return { config: Config.fromObject({ auth: {} }), logger, location };
}

interface Fixture {
  options: BackendOptions;
  /** The table as the tests' own kysely instance names it. */
  table: string;
  setUp(raw: Kysely<UsersDatabase>): Promise<void>;
  tearDown(raw: Kysely<UsersDatabase>): Promise<void>;
}

let sqliteDir = '';
const fixtures: Record<string, () => Promise<Fixture>> = {
  sqlite: async () => {
    sqliteDir = await mkdtemp(join(tmpdir(), 'sql-backend-'));
    return {
      options: { sqluri: `sqlite://${sqliteDir}/users.db` },
      table: 'users',
      setUp: async () => {},
      tearDown: async () => rm(sqliteDir, { recursive: true, force: true }),
    };
  },
  postgres: async () => {
    const schema = `svc_test_${suffix}`;
    return {
      options: { sqluri: 'postgresql://postgres@127.0.0.1:5432/test', table: `${schema}.users` },
      table: `${schema}.users`,
      setUp: async (raw) => void (await sql`create schema ${sql.id(schema)}`.execute(raw)),
      tearDown: async (raw) => void (await sql`drop schema ${sql.id(schema)} cascade`.execute(raw)),
    };
  },
  mariadb: async () => {
    const table = `users_${suffix}`;
    return {
      options: { sqluri: 'mysql://root@127.0.0.1:3306/test', table },
      table,
      setUp: async () => {},
      tearDown: async (raw) => void (await sql`drop table if exists ${sql.id(table)}`.execute(raw)),
    };
  },
};

describe.each(Object.keys(fixtures))('SQL backend on %s', (name) => {
  let fixture: Fixture;
  let raw: Kysely<UsersDatabase>;
  let backend: UserBackend;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    fixture = await fixtures[name]!();
    const options = readSqlOptions({ ...fixture.options, pool_size: 2 }, context());
    raw = new Kysely<UsersDatabase>({
      dialect: await createDialect(options, silentLogger, location),
    });
    await fixture.setUp(raw);
    backend = await createSqlBackend({ ...fixture.options, pool_size: 4 }, context(logger));
  });

  afterAll(async () => {
    await backend?.close();
    if (raw) {
      await fixture.tearDown(raw);
      await raw.destroy();
    }
  });

  const rows = () => raw.selectFrom(fixture.table).selectAll().orderBy('id').execute();
  const passwordOf = async (username: string) =>
    (
      await raw
        .selectFrom(fixture.table)
        .select('password')
        .where('username', '=', username)
        .executeTakeFirst()
    )?.password;

  it('create, authenticate, lookup, changePassword and delete', async () => {
    const created = await backend.create('alice', 'alice password', { mail: 'alice@example.com' });
    expect(created).toMatchObject({
      username: 'alice',
      attributes: { mail: 'alice@example.com', account_status: 1 },
    });
    expect(await passwordOf('alice')).toMatch(/^\$scrypt\$/);

    expect(
      await backend.authenticate({ username: 'alice', password: 'alice password' }),
    ).toMatchObject({
      username: 'alice',
      id: created.id,
    });
    expect(await backend.authenticate({ username: 'alice', password: 'wrong' })).toBeNull();
    expect(
      await backend.authenticate({ username: 'Alice', password: 'alice password' }),
    ).toBeNull();
    expect(
      await backend.authenticate({ username: 'alice ', password: 'alice password' }),
    ).toBeNull();
    expect(await backend.lookup('alice')).toMatchObject({ id: created.id });
    expect(await backend.lookup('nobody')).toBeNull();

    expect(await backend.changePassword('alice', 'new password')).toBe(true);
    expect(
      await backend.authenticate({ username: 'alice', password: 'alice password' }),
    ).toBeNull();
    expect(
      await backend.authenticate({ username: 'alice', password: 'new password' }),
    ).not.toBeNull();
    expect(await backend.changePassword('nobody', 'x')).toBe(false);

    expect(await backend.delete('alice')).toBe(true);
    expect(await backend.delete('alice')).toBe(false);
    expect(await backend.authenticate({ username: 'alice', password: 'new password' })).toBeNull();
  });

  it('create refuses a name that is taken', async () => {
    await backend.create('bob', 'bob password');
    await expect(backend.create('bob', 'other')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_USER_EXISTS',
      status: 409,
    });
  });

  it('list returns the names ordered', async () => {
    await backend.create('carol', 'carol password');
    await backend.create('anna', 'anna password');
    const names = await backend.list();
    expect(names.filter((n) => ['anna', 'bob', 'carol'].includes(n))).toEqual([
      'anna',
      'bob',
      'carol',
    ]);
  });

  it('authenticate stores and matches SQL metacharacters literally', async () => {
    const tricky = ["' OR 1=1 --", '"; DROP TABLE users; --', '%', '_', '\\', "admin'--"];
    for (const username of tricky) await backend.create(username, `${username} pw`);
    const before = (await rows()).length;

    for (const username of tricky) {
      expect(await backend.authenticate({ username, password: `${username} pw` })).toMatchObject({
        username,
      });
      expect(await backend.authenticate({ username, password: "' OR '1'='1" })).toBeNull();
    }
    expect(await backend.authenticate({ username: '_nna', password: 'anna password' })).toBeNull();
    expect(await backend.authenticate({ username: 'an%', password: 'anna password' })).toBeNull();
    expect(await backend.authenticate({ username: "anna' --", password: 'x' })).toBeNull();
    expect((await rows()).length).toBe(before);
  });

  it('authenticate refuses non-string, empty and NUL-holding input without a query error', async () => {
    for (const password of [{ password: 1 }, ['x'], true, 1, null, '', 'anna\0password']) {
      expect(
        await backend.authenticate({ username: 'anna', password: password as string }),
      ).toBeNull();
    }
    expect(
      await backend.authenticate({ username: { username: 1 } as unknown as string, password: 'x' }),
    ).toBeNull();
    expect(
      await backend.authenticate({ username: 'anna\0', password: 'anna password' }),
    ).toBeNull();
    await expect(backend.create('nul\0name', 'pw')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_INVALID_INPUT',
    });
  });

  it('authenticate refuses a disabled account unless check_account_state is off', async () => {
    await backend.create('dora', 'dora password');
    await raw
      .updateTable(fixture.table)
      .set({ account_status: 0 })
      .where('username', '=', 'dora')
      .execute();
    expect(await backend.authenticate({ username: 'dora', password: 'dora password' })).toBeNull();

    const lenient = await createSqlBackend(
      { ...fixture.options, check_account_state: false },
      context(),
    );
    try {
      expect(
        await lenient.authenticate({ username: 'dora', password: 'dora password' }),
      ).not.toBeNull();
    } finally {
      await lenient.close();
    }
  });

  it('authenticate replaces a legacy hash after a successful login, and only then', async () => {
    const legacy = '{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0'; // "secret", salt "salt"
    await raw
      .insertInto(fixture.table)
      .values({ username: 'eve', password: legacy, mail: null })
      .execute();

    expect(await backend.authenticate({ username: 'eve', password: 'wrong' })).toBeNull();
    expect(await passwordOf('eve')).toBe(legacy);

    const logins = await Promise.all(
      Array.from({ length: 4 }, () =>
        backend.authenticate({ username: 'eve', password: 'secret' }),
      ),
    );
    expect(logins.every((user) => user?.username === 'eve')).toBe(true);
    const upgraded = await passwordOf('eve');
    expect(upgraded).toMatch(/^\$scrypt\$/);
    expect(await backend.authenticate({ username: 'eve', password: 'secret' })).not.toBeNull();
    expect(await passwordOf('eve')).toBe(upgraded);
  });

  it('authenticate logs a malformed stored hash and refuses, without naming the hash', async () => {
    await raw
      .insertInto(fixture.table)
      .values({ username: 'fay', password: '{SSHA}!!!', mail: null })
      .execute();
    await raw
      .insertInto(fixture.table)
      .values({ username: 'gus', password: null, mail: null })
      .execute();
    expect(await backend.authenticate({ username: 'fay', password: 'x' })).toBeNull();
    expect(await backend.authenticate({ username: 'gus', password: 'x' })).toBeNull();
    const logged = logger.records.filter((record) => record.type === 'auth.sql.malformed_hash');
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged.map((record) => record.fields))).not.toContain('SSHA');
  });

  it('check resolves while the database answers', async () => {
    await expect(backend.check()).resolves.toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { BackendError } from '../../../errors/backend-error.js';
import { createMemoryLogger, silentLogger } from '../../../log/logger.js';
import {
  startSilentServer,
  startTcpProxy,
  type TcpProxy,
} from '../../../test-support/tcp-proxy.js';
import type { UserBackend } from '../../types.js';
import { createSqlBackend } from './sql-backend.js';
import { createDialect } from './sql-dialect.js';
import { readSqlOptions } from './sql-options.js';
import type { UsersDatabase } from './sql-schema.js';

const suffix = randomBytes(4).toString('hex');
const location = { file: 'test.ini', line: 1 };
const context = () => ({
  config: Config.fromObject({ auth: {} }),
  logger: createMemoryLogger(),
  location,
});

const servers = [
  {
    name: 'postgres',
    port: 5432,
    uri: (port: number) => `postgresql://postgres@127.0.0.1:${port}/test`,
  },
  { name: 'mariadb', port: 3306, uri: (port: number) => `mysql://root@127.0.0.1:${port}/test` },
];

describe.each(servers)('SQL backend outages on $name', (server) => {
  const table = `outage_${suffix}`;
  let proxy: TcpProxy;
  let backend: UserBackend;
  let raw: Kysely<UsersDatabase>;

  beforeAll(async () => {
    proxy = await startTcpProxy(server.port);
    const options = { sqluri: server.uri(proxy.port), table, connect_timeout: 1, query_timeout: 1 };
    backend = await createSqlBackend(options, context());
    await backend.create('olga', 'olga password');
    const direct = readSqlOptions({ sqluri: server.uri(server.port), pool_size: 1 }, context());
    raw = new Kysely<UsersDatabase>({
      dialect: await createDialect(direct, silentLogger, location),
    });
  });

  afterAll(async () => {
    await backend?.close();
    await proxy?.close();
    if (raw) {
      await sql`drop table if exists ${sql.id(table)}`.execute(raw);
      await raw.destroy();
    }
  });

  it('authenticate and check reject with BackendError while the server is unreachable, then recover', async () => {
    expect(
      await backend.authenticate({ username: 'olga', password: 'olga password' }),
    ).not.toBeNull();

    proxy.down();
    for (const password of ['olga password', 'wrong']) {
      const failure = backend.authenticate({ username: 'olga', password });
      await expect(failure).rejects.toBeInstanceOf(BackendError);
      await expect(failure).rejects.toMatchObject({ backend: 'sql', status: 503 });
    }
    await expect(backend.check()).rejects.toBeInstanceOf(BackendError);
    await expect(backend.list()).rejects.toBeInstanceOf(BackendError);

    proxy.up();
    await expect(backend.check()).resolves.toBeUndefined();
    expect(
      await backend.authenticate({ username: 'olga', password: 'olga password' }),
    ).not.toBeNull();
  });

  it('a server that accepts and never answers gives BackendError within the timeouts', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const creating = createSqlBackend(
        { sqluri: server.uri(silent.port), table, connect_timeout: 1, query_timeout: 1 },
        context(),
      );
      await expect(creating).rejects.toBeInstanceOf(BackendError);
      expect(Date.now() - started).toBeLessThan(3000);

      const lazy = await createSqlBackend(
        {
          sqluri: server.uri(silent.port),
          table,
          connect_timeout: 1,
          query_timeout: 1,
          create_tables: false,
        },
        context(),
      );
      const checking = Date.now();
      await expect(lazy.authenticate({ username: 'olga', password: 'x' })).rejects.toBeInstanceOf(
        BackendError,
      );
      await expect(lazy.check()).rejects.toBeInstanceOf(BackendError);
      expect(Date.now() - checking).toBeLessThan(5000);
      await lazy.close();
    } finally {
      await silent.close();
    }
  });
});

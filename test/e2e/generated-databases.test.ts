// Generated services with `--auth sql` on PostgreSQL and MariaDB, for real: their own tests run
// against the local servers (TEST_SQLURI, in a table of their own through TEST_SQL_TABLE), then
// `npm start` serves against the database, and a user added with the runtime's CLI logs in.
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust, database test) and MariaDB on
// 127.0.0.1:3306 (root without a password, database test). Only the tables made here are
// dropped.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get } from './serve-harness.js';
import { generateProject, runIn, scratchFolder } from './support/generated-project.js';
import { startNpmService, type NpmService } from './support/npm-service.js';

interface Database {
  database: 'postgresql' | 'mysql';
  uri: string;
  /** The server's command-line client, printing bare rows. */
  client: [string, ...string[]];
}

const databases: Database[] = [
  {
    database: 'postgresql',
    uri: 'postgresql://postgres@127.0.0.1:5432/test',
    client: [
      'psql',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      'test',
      '-v',
      'ON_ERROR_STOP=1',
      '-tAc',
    ],
  },
  {
    database: 'mysql',
    uri: 'mysql://root@127.0.0.1:3306/test',
    client: ['mariadb', '-h', '127.0.0.1', '-P', '3306', '-u', 'root', 'test', '-N', '-B', '-e'],
  },
];

function query({ client: [command, ...args] }: Database, sql: string): string[] {
  const result = spawnSync(command, [...args, sql], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) throw new Error(`${command}: ${sql}: ${result.stderr}`);
  return result.stdout.split('\n').filter((row) => row !== '');
}

function basic(username: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** The test user the generator wrote into test/start-service.ts. */
function generatedTestUser(project: string): string {
  const source = readFileSync(join(project, 'test', 'start-service.ts'), 'utf8');
  const username = /testUser = \{ username: '([^']+)'/.exec(source)?.[1];
  if (!username) throw new Error('no testUser in test/start-service.ts');
  return username;
}

describe.each(databases)('a generated service on $database', (db) => {
  const scratch = scratchFolder(`generated-${db.database}-`);
  const suffix = randomBytes(4).toString('hex');
  const tables = { tests: `e2e_tests_${suffix}`, service: `e2e_service_${suffix}` };
  let project = '';
  let service: NpmService | undefined;

  beforeAll(() => {
    project = generateProject(scratch.path, `${db.database}-svc`, [
      '--auth',
      'sql',
      '--database',
      db.database,
    ]);
    runIn(project, 'npm', ['run', 'build']);
  });

  afterAll(async () => {
    try {
      await service?.stop();
      for (const table of Object.values(tables)) query(db, `DROP TABLE IF EXISTS ${table}`);
    } finally {
      scratch.remove();
    }
  });

  it('passes its own tests against the database, in the table TEST_SQL_TABLE names', () => {
    const output = runIn(project, 'npm', ['test'], {
      env: { TEST_SQLURI: db.uri, TEST_SQL_TABLE: tables.tests },
    });

    expect(output).toMatch(/Tests\s+\d+ passed/);
    // with TEST_SQLURI set, none of them may skip for want of a database
    expect(output).not.toMatch(/\d+ (skipped|failed)/);
    expect(query(db, `SELECT username FROM ${tables.tests}`)).toEqual([generatedTestUser(project)]);
  }, 120_000);

  it('serves npm start against the database: the sql check, and a user added with the CLI', async () => {
    // SQLURI is how the generated config takes the production database; the table is an
    // operator's choice, in a config that extends the generated one
    const config = join(project, 'etc', 'production.ini');
    writeFileSync(
      config,
      `[DEFAULT]\nextends = ${db.database}-svc.ini\n\n[auth]\ntable = ${tables.service}\n`,
    );
    const env = { SQLURI: db.uri, SERVICES_CONFIG: 'etc/production.ini' };
    service = await startNpmService(project, { ...env, PORT: String(await freePort()) });

    const heartbeat = await get(service.port, '/__heartbeat__');
    expect(heartbeat.status).toBe(200);
    expect(JSON.parse(heartbeat.body)).toMatchObject({ status: 'ok', checks: { sql: 'ok' } });

    const password = `pw-${randomBytes(8).toString('hex')}`;
    const added = runIn(
      project,
      'npx',
      ['services-runtime', 'users', 'add', 'e2e_alice', '--config', 'etc/production.ini'],
      { env, input: `${password}\n`, timeoutMs: 30_000 },
    );
    expect(added).not.toContain(password);
    expect(query(db, `SELECT username FROM ${tables.service}`)).toEqual(['e2e_alice']);

    const whoami = await get(service.port, '/whoami', { headers: basic('e2e_alice', password) });
    expect(whoami.status).toBe(200);
    expect(JSON.parse(whoami.body)).toEqual({ username: 'e2e_alice' });
    const refused = await get(service.port, '/whoami', {
      headers: basic('e2e_alice', 'wrong-pw-1'),
    });
    expect(refused.status).toBe(401);

    process.kill(service.pid, 'SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});

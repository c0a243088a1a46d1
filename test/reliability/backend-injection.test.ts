// SQL and LDAP metacharacters in the user name and the password, sent as Basic credentials over
// HTTP to an app whose [auth] backend is a real SQLite, PostgreSQL, MariaDB or slapd. The user
// name pattern is opened up so that the names reach the backend instead of being refused at the
// door: each one must still answer 401 (never 500), log no app error, and authenticate no one,
// although the password sent is the real password of alice.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Config,
  createSqlBackend,
  silentLogger,
  type UserBackend,
} from '../../runtime/src/index.js';
import { startSlapd, type Slapd } from '../../runtime/src/test-support/slapd.js';
import { sqlServers, tableName } from './support/databases.js';
import {
  basic,
  createWorkspace,
  send,
  startApp,
  type AppService,
  type Workspace,
} from './support/service.js';

const password = 'alicepw';

const hostileNames = [
  // SQL
  "' OR '1'='1",
  "alice' --",
  "alice'; DROP TABLE users; --",
  '" OR ""="',
  "alice' OR 'x'='x",
  '%',
  'al%',
  '_lice',
  'alic_',
  'alice\\',
  'alice\u0000',
  // LDAP filters (RFC 4515) and DNs (RFC 4514)
  '*',
  'al*',
  '*)(uid=*))(|(uid=*',
  'alice)(|(objectClass=*)',
  'alice)(uid=*',
  '(uid=alice)',
  '\\61lice',
  'alice,ou=people,dc=example,dc=com',
  'uid=alice',
  '#alice',
  'alice+cn=x',
  'EXTERNAL',
  'PLAIN',
];

// Names a directory or a collation may take for alice's (case, insignificant spaces). Logging in
// with one is acceptable only as alice herself: a second name for one account is a second identity
// to every part of the service that keys anything by user name.
const variantNames = ['ALICE', 'Alice', 'alice ', ' alice', 'alice\t'];

const hostilePasswords = ["' OR '1'='1", '*', "x' OR password LIKE '%", ''];

const openPattern = 'username_pattern = ^.{1,256}$';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

afterAll(async () => {
  await workspace?.dispose();
});

async function expectNobodyAuthenticates(service: AppService): Promise<void> {
  // the right credentials work, so a 401 below is a refusal, not a broken backend
  const good = await send(service.port, '/private', {
    headers: { authorization: basic('alice', password) },
  });
  expect(good.status).toBe(200);

  for (const name of hostileNames) {
    const answer = await send(service.port, '/private', {
      headers: { authorization: basic(name, password) },
    });
    expect(answer.status, JSON.stringify(name)).toBe(401);
    expect(answer.headers['www-authenticate'], JSON.stringify(name)).toMatch(/^Basic realm=/);
  }
  for (const wrong of hostilePasswords) {
    const answer = await send(service.port, '/private', {
      headers: { authorization: basic('alice', wrong) },
    });
    expect(answer.status, JSON.stringify(wrong)).toBe(401);
  }

  expect(service.log.records().filter((record) => record.Type === 'app.error')).toEqual([]);
  const again = await send(service.port, '/private', {
    headers: { authorization: basic('alice', password) },
  });
  expect(again.status).toBe(200);

  for (const name of variantNames) {
    const answer = await send(service.port, '/private', {
      headers: { authorization: basic(name, password) },
    });
    const outcome =
      answer.status === 200
        ? (JSON.parse(answer.body) as { username: string }).username
        : answer.status;
    expect(
      [401, 'alice'],
      `${JSON.stringify(name)} authenticated as ${JSON.stringify(outcome)}`,
    ).toContain(outcome);
  }
}

const sqlTargets = [
  {
    name: 'sqlite',
    uri: () => `sqlite://${join(workspace.dir, 'users.db')}`,
    dropTable: async () => {},
  },
  ...sqlServers.map((server) => ({
    name: server.name,
    uri: () => server.uri(server.port),
    dropTable: (table: string) => server.dropTable(table),
  })),
];

describe.each(sqlTargets)(
  'metacharacter credentials against the SQL backend on $name',
  (target) => {
    const table = tableName('rel_injection');
    let seed: UserBackend;
    let service: AppService;

    beforeAll(async () => {
      const context = {
        config: Config.fromObject({ auth: {} }),
        logger: silentLogger,
        location: { file: 'seed', line: 1 },
      };
      seed = await createSqlBackend({ sqluri: target.uri(), table }, context);
      await seed.create('alice', password);
      await seed.create('bob', 'bob password');
      const config = await workspace.config(
        `
[auth]
backend = sql
sqluri = ${target.uri()}
table = ${table}
${openPattern}
`,
        `${target.name}.ini`,
      );
      service = await startApp(config);
    });

    afterAll(async () => {
      await service?.close();
      await seed?.close?.();
      await target.dropTable(table);
    });

    it('answers 401 to each of them, keeps every row and authenticates only alice with her password', async () => {
      await expectNobodyAuthenticates(service);
      expect(await seed.list()).toEqual(['alice', 'bob']);
    });
  },
);

describe('metacharacter credentials against the LDAP backend', () => {
  let slapd: Slapd;

  beforeAll(async () => {
    slapd = await startSlapd();
  }, 60_000);

  afterAll(async () => {
    await slapd?.dispose();
  });

  it('answers 401 to each of them with search-then-bind', async () => {
    const config = await workspace.config(
      `
[auth]
backend = ldap
ldapuri = ${slapd.url}
bind = ${slapd.adminDn}
passwd = ${slapd.adminPassword}
search_root = ou=people,${slapd.suffix}
timeout = 2
${openPattern}
`,
      'ldap-search.ini',
    );
    const service = await startApp(config);
    try {
      await expectNobodyAuthenticates(service);
    } finally {
      await service.close();
    }
  });

  it('answers 401 to each of them with a bind DN template', async () => {
    const config = await workspace.config(
      `
[auth]
backend = ldap
ldapuri = ${slapd.url}
bind_dn_template = uid={username},ou=people,${slapd.suffix}
timeout = 2
${openPattern}
`,
      'ldap-template.ini',
    );
    const service = await startApp(config);
    try {
      await expectNobodyAuthenticates(service);
    } finally {
      await service.close();
    }
  });

  it('never sent a SASL bind or an unescaped filter to the directory', async () => {
    const log = await slapd.log();
    expect(log).toMatch(/BIND dn=.* method=128/);
    expect(log).not.toMatch(/BIND dn=.* method=(?!128\b)\d+/);
    // the searches arrived with the star escaped (slapd prints the filter it decoded)
    expect(log.toLowerCase()).toContain('(uid=al\\2a)');
    expect(log).not.toContain('(uid=*)');
    expect(log).not.toContain('(objectClass=*)(');
  });
});

// No secret leaves the process. An app with an SQL backend (PostgreSQL, through a relay that the
// suite switches off for a while), a CEF file sink, the JSON access log, the debug page on and
// secrets in its config answers a battery of requests: right and wrong passwords, errors, the
// debug page, the heartbeat, a 500 and 503s. Every log line, the CEF file and every response
// (status line, headers and body) are then searched for every password, the stored hash and every
// secret config value, in every encoding that could carry one.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config, createSqlBackend, silentLogger } from '../../runtime/src/index.js';
import { startTcpProxy, type TcpProxy } from '../../runtime/src/test-support/tcp-proxy.js';
import { sqlServers, tableName } from './support/databases.js';
import { exchange, rawGet } from './support/raw-http.js';
import {
  basic,
  createWorkspace,
  startApp,
  type AppService,
  type Workspace,
} from './support/service.js';

const suffix = randomBytes(4).toString('hex');
const alicePassword = `Al!ce "pass" é/${suffix}`;
const wrongPasswords = [`wrong+/=${suffix}-guess`, `Al!ce "pass" é/${suffix}x`];
const databasePassword = `PgSecret${suffix}Value`;
const authPasswd = `ServiceAccount-${suffix}+/pw`;
const apiKey = `api-key-${suffix}-7f3a9c`;
const cookieSecret = `session-${suffix}-cookie-value`;

const postgresql = sqlServers.find((server) => server.name === 'postgresql')!;
const table = tableName('rel_secrets');

let workspace: Workspace;
let proxy: TcpProxy;
let service: AppService;
let storedHash: string;
const responses: string[] = [];
let logText: string;
let cefText: string;

/** Every way a secret could be written: plain, JSON-escaped, percent-encoded, hex and base64. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    // JSON with every non-ASCII character written as \uXXXX
    JSON.stringify(secret)
      .slice(1, -1)
      .replace(
        /[^\x20-\x7e]/g,
        (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    escape(secret),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ]);
  // base64 of the secret inside a longer text, at each of the three alignments: the blocks that
  // hold nothing but the secret's bytes
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]).toString('base64');
    const inner = encoded.slice(offset === 0 ? 0 : 4, -4);
    if (inner.length >= 8) {
      forms.add(inner);
      forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

async function hit(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<number | undefined> {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const request = rawGet(path, lines).replace(/^GET /, `${method} `);
  const result = await exchange(service.port, Buffer.from(request, 'utf8'));
  responses.push(result.raw.toString('utf8'));
  return result.status;
}

beforeAll(async () => {
  workspace = await createWorkspace();
  proxy = await startTcpProxy(postgresql.port);
  const sqluri = `postgresql://postgres:${databasePassword}@127.0.0.1:${proxy.port}/test`;

  const seed = await createSqlBackend(
    { sqluri, table },
    {
      config: Config.fromObject({ auth: {} }),
      logger: silentLogger,
      location: { file: 'seed', line: 1 },
    },
  );
  await seed.create('alice', alicePassword);
  await seed.close?.();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: postgresql.port,
    user: 'postgres',
    database: 'test',
  });
  await client.connect();
  storedHash = (
    await client.query<{ password: string }>(
      `select password from "${table}" where username = 'alice'`,
    )
  ).rows[0]!.password;
  await client.end();

  const config = await workspace.config(`
[global]
debug = true
debug_page = __debug__
client_debug = false
retry_after = 5

[logging]
access_log = true
access_format = json
level = debug

[auth]
backend = sql
sqluri = ${sqluri}
table = ${table}
passwd = ${authPasswd}
connect_timeout = 1
query_timeout = 1

[app]
api_key = ${apiKey}

[cef]
vendor = reliability
product = runtime
version = 0
device_version = 1
file = cef.log
`);
  service = await startApp(config);

  const good = { Authorization: basic('alice', alicePassword) };
  const statuses: Array<number | undefined> = [];
  statuses.push(await hit('/private', good));
  statuses.push(await hit('/1.0/alice/info', good));
  for (const wrong of wrongPasswords) {
    statuses.push(await hit('/private', { Authorization: basic('alice', wrong) }));
    statuses.push(await hit('/1.0/alice/info', { Authorization: basic('alice', wrong) }));
    statuses.push(await hit('/private', { Authorization: basic('mallory', wrong) }));
  }
  // the right password under another user name and in the path's user name
  statuses.push(await hit('/1.0/bob/info', good));
  statuses.push(
    await hit('/private', {
      Authorization: `Basic ${Buffer.from(alicePassword).toString('base64')}`,
    }),
  );
  statuses.push(await hit('/private', { Authorization: `Bearer ${apiKey}` }));
  statuses.push(
    await hit('/private', {
      Authorization: basic('alice', alicePassword),
      Cookie: `sid=${cookieSecret}`,
    }),
  );
  statuses.push(
    await hit('/__debug__', {
      ...good,
      Cookie: `sid=${cookieSecret}`,
      'X-Api-Key': 'not-a-secret',
    }),
  );
  statuses.push(await hit('/__debug__', { Accept: 'text/html', Cookie: `sid=${cookieSecret}` }));
  statuses.push(await hit('/__debug__', good, 'POST'));
  statuses.push(await hit('/__heartbeat__'));
  statuses.push(await hit('/boom', good));
  statuses.push(await hit('/unavailable', good));
  statuses.push(await hit('/no-such-page', good));

  // the database goes away: a 503 on login and a failing heartbeat, with reasons (debug = true)
  proxy.down();
  statuses.push(await hit('/private', good));
  statuses.push(await hit('/private', { Authorization: basic('alice', wrongPasswords[0]!) }));
  statuses.push(await hit('/__heartbeat__'));
  proxy.up();
  statuses.push(await hit('/private', good));

  expect(statuses).toEqual([
    200, 200, 401, 401, 401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 500, 503, 404,
    503, 503, 503, 200,
  ]);

  await service.close();
  logText = service.log.lines.join('\n');
  cefText = await readFile(join(workspace.dir, 'cef.log'), 'utf8');
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await postgresql.dropTable(table);
  await workspace?.dispose();
});

const secrets = (): Record<string, string> => ({
  'alice password': alicePassword,
  'wrong password 1': wrongPasswords[0]!,
  'wrong password 2': wrongPasswords[1]!,
  'database password': databasePassword,
  '[auth] passwd': authPasswd,
  '[app] api_key': apiKey,
  cookie: cookieSecret,
  'stored hash': storedHash,
  'hash key': storedHash.split('$').at(-1)!,
  'alice:password': `alice:${alicePassword}`,
});

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets())) {
    for (const form of encodings(secret)) {
      if (text.includes(form)) found.push(`${name} as ${JSON.stringify(form)}`);
    }
  }
  return found;
}

describe('secrets in what the service writes and answers', () => {
  it('collected a log, CEF records and the debug page to search', () => {
    expect(service.log.lines.some((line) => line.includes('"request.summary"'))).toBe(true);
    expect(service.log.lines.some((line) => line.includes('"app.error"'))).toBe(true);
    expect(cefText.split('\n').length).toBeGreaterThan(5);
    expect(responses.some((response) => response.includes('"config"'))).toBe(true);
    // the searched forms would be found: the raw request the suite sent holds them
    expect(leaks(basic('alice', alicePassword))).not.toEqual([]);
  });

  it('writes no secret to the operational log, access records included', () => {
    expect(leaks(logText)).toEqual([]);
  });

  it('writes no secret to the CEF file', () => {
    expect(leaks(cefText)).toEqual([]);
  });

  it('answers no secret in any status line, header or body', () => {
    responses.forEach((response, index) => {
      expect(leaks(response), `response ${index}`).toEqual([]);
    });
  });

  it('shows no stack frame in any answer, the 500 included', () => {
    for (const response of responses) expect(response).not.toMatch(/\n\s+at [\w.<]/);
  });
});

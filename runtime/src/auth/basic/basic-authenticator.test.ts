import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../config/config.js';
import { createMemoryLogger, silentLogger } from '../../log/logger.js';
import { createMemoryBackend } from '../backends/memory/memory-backend.js';
import { hashPassword } from '../passwords/hash-password.js';
import {
  basicHeader,
  spyBackend,
  startAuthTestApp,
  type AuthTestApp,
} from '../test-support/auth-test-app.js';
import { BasicAuthenticator } from './basic-authenticator.js';

const challenge = 'Basic realm="services", charset="UTF-8"';
const specialPasswords = [':', '!', '@', '=', ' ', '\t', 'α', '☃'].flatMap((character) => [
  `${character}secret`,
  `sec${character}ret`,
  `secret${character}`,
]);

async function memoryConfig(
  users: Record<string, string>,
  auth: Record<string, string> = {},
): Promise<Config> {
  const lines = await Promise.all(
    Object.entries(users).map(
      async ([name, password]) => `${name}:${await hashPassword(password, 'ssha')}`,
    ),
  );
  return Config.fromObject({ auth: { backend: 'memory', users: lines, ...auth } }, '/etc/app.ini');
}

describe('BasicAuthenticator.authenticate', () => {
  let app: AuthTestApp;
  let backend: ReturnType<typeof spyBackend>;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    const users: Record<string, string> = { tarek: 'tarek', 'test@test.com': 'pw', foo: 'pa:ss' };
    specialPasswords.forEach((password, index) => (users[`special${index}`] = password));
    users['jorg'] = 'pässwörd';
    users['nfc'] = 'caf\u00e9';
    users['replacement'] = '\ufffd\ufffd';
    const config = await memoryConfig(users);
    const memory = createMemoryBackend(config.getSection('auth'), {
      config,
      logger,
      location: config.locate('auth', 'backend'),
    });
    backend = spyBackend(memory);
    app = await startAuthTestApp(new BasicAuthenticator({ backend, config, logger: silentLogger }));
  });

  afterAll(async () => {
    await app.close();
  });

  async function attempt(path: string, headers: Record<string, string> | string[] = {}) {
    app.events.length = 0;
    backend.calls.length = 0;
    const response = await app.request(path, headers);
    return { ...response, events: [...app.events], backendCalls: backend.calls.length };
  }

  it('answers the legacy table, with WWW-Authenticate on every 401', async () => {
    const rows: [string, string | undefined, number, string | undefined, number?, string?][] = [
      ['/1.0/tarek/secret', undefined, 401, 'No Authorization header was provided', 7, 'none'],
      ['/1.0/tarek/secret', basicHeader('tarek', 'tarek'), 200, undefined],
      [
        '/1.0/tarek/secret',
        basicHeader('tarek', 'nope'),
        401,
        'User Authentication Failed',
        5,
        'tarek',
      ],
      [
        '/1.0/tarek/secret',
        basicHeader('bob', 'tarek'),
        401,
        'Username Does Not Match URL',
        7,
        'bob',
      ],
      ['/1.0/tarek/secret', 'Digest abc', 401, 'Authorization header contains unknown protocol', 7],
      ['/1.0/tarek/secret', 'Basic !!!', 401, 'Authorization header is badly encoded', 7],
      [
        '/1.0/tarek/secret',
        `Basic ${Buffer.from('tarektarek').toString('base64')}`,
        401,
        'Authorization header is badly encoded',
        7,
      ],
      ['/secret', basicHeader('test@test.com', 'pw'), 200, undefined],
      [
        '/1.0/tarek/secret',
        basicHeader('tarek', Buffer.from([0xff, 0xfe])),
        401,
        'Password is not utf-8 encoded',
        7,
        'tarek',
      ],
      [
        '/secret',
        basicHeader('bad name', 'pw'),
        401,
        'Username contains invalid characters',
        7,
        'bad name',
      ],
    ];
    for (const [path, authorization, status, name, severity, suser] of rows) {
      const response = await attempt(
        path,
        authorization === undefined ? {} : { Authorization: authorization },
      );
      expect(response.status, `${authorization}`).toBe(status);
      if (status === 401) expect(response.headers['www-authenticate']).toBe(challenge);
      if (name === undefined) {
        expect(response.events).toEqual([]);
        continue;
      }
      expect(response.events).toHaveLength(1);
      expect(response.events[0]).toMatchObject({ name, severity, signature: 'AuthFail' });
      if (suser !== undefined) expect(response.events[0]!.username).toBe(suser);
    }
  });

  it('authenticates passwords with :!@= \\t, α and ☃ at the start, middle and end', async () => {
    for (const [index, password] of specialPasswords.entries()) {
      const response = await attempt('/secret', {
        Authorization: basicHeader(`special${index}`, password),
      });
      expect(response.status, JSON.stringify(password)).toBe(200);
    }
  });

  it('refuses a missing header, an empty token and another scheme without asking the backend (A1.1)', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { Authorization: 'Basic' },
      { Authorization: 'Bearer x' },
    ];
    for (const headers of headerSets) {
      const response = await attempt('/secret', headers);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(response.backendCalls).toBe(0);
    }
  });

  it('refuses malformed tokens with one identical 401 and one CEF record (A1.2)', async () => {
    const tokens = [
      'Basic Zm9v*mJhcg==',
      'Basic\tZm9vOmJhcg==',
      'Basic Zm9v=OmJhcg==',
      'Basic Zm9vYmFy',
      'Basic Zm9vOmJhcg\u00e9=',
    ];
    const bodies = new Set<string>();
    for (const token of tokens) {
      const response = await attempt('/secret', { Authorization: token });
      expect(response.status, token).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(response.backendCalls).toBe(0);
      expect(response.events.map((event) => event.name)).toEqual([
        'Authorization header is badly encoded',
      ]);
      bodies.add(response.body);
    }
    expect(bodies.size).toBe(1);
  });

  it('pins the lenient forms: any scheme case and several spaces pass, non-canonical base64 does not (A1.3)', async () => {
    const token = Buffer.from('tarek:tarek').toString('base64');
    for (const header of [`BASIC ${token}`, `basic ${token}`, `Basic  ${token}`]) {
      expect((await attempt('/secret', { Authorization: header })).status, header).toBe(200);
    }
    expect(token.endsWith('=')).toBe(true);
    const refused = [`Basic ${token.replace(/=+$/, '')}`, 'Basic YT8-OmI', 'Basic YT8_OmI='];
    for (const header of refused) {
      const response = await attempt('/secret', { Authorization: header });
      expect(response.status, header).toBe(401);
      expect(response.backendCalls).toBe(0);
    }
  });

  it('removes the Authorization header once the user is known', async () => {
    const response = await attempt('/secret', { Authorization: basicHeader('tarek', 'tarek') });
    expect(JSON.parse(response.body)).toMatchObject({ username: 'tarek', headerLeft: false });
  });

  it('splits at the first colon and refuses empty halves without asking the backend (A1.4)', async () => {
    expect((await attempt('/secret', { Authorization: basicHeader('foo', 'pa:ss') })).status).toBe(
      200,
    );
    for (const [user, password] of [
      ['', 'pass'],
      ['foo', ''],
      ['', ''],
    ]) {
      const response = await attempt('/secret', { Authorization: basicHeader(user!, password!) });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(response.backendCalls).toBe(0);
      expect(response.events).toHaveLength(1);
    }
  });

  it('reads UTF-8 strictly and normalises to NFC (A1.5)', async () => {
    expect(
      (await attempt('/secret', { Authorization: basicHeader('jorg', 'pässwörd') })).status,
    ).toBe(200);
    const latin1 = Buffer.from('pässwörd', 'latin1');
    expect((await attempt('/secret', { Authorization: basicHeader('jorg', latin1) })).status).toBe(
      401,
    );
    for (const bytes of [
      [0x80, 0x80],
      [0x80, 0x81],
    ]) {
      const response = await attempt('/secret', {
        Authorization: basicHeader('replacement', Buffer.from(bytes)),
      });
      expect(response.status).toBe(401);
      expect(response.events[0]!.name).toBe('Password is not utf-8 encoded');
      expect(response.backendCalls).toBe(0);
    }
    expect(
      (await attempt('/secret', { Authorization: basicHeader('replacement', '\ufffd\ufffd') }))
        .status,
    ).toBe(200);
    expect(
      (await attempt('/secret', { Authorization: basicHeader('nfc', 'cafe\u0301') })).status,
    ).toBe(200);
  });

  it('refuses a user name that is not UTF-8 or outside the pattern', async () => {
    const notUtf8 = await attempt('/secret', {
      Authorization: basicHeader(Buffer.from([0x74, 0xff]), 'x'),
    });
    expect(notUtf8.status).toBe(401);
    expect(notUtf8.events[0]!.name).toBe('Username contains invalid characters');
    const accented = await attempt('/secret', { Authorization: basicHeader('jörg', 'pässwörd') });
    expect(accented.status).toBe(401);
    expect(accented.backendCalls).toBe(0);
  });

  it('refuses control characters in the user name without asking the backend (A1.6)', async () => {
    for (const character of ['\u0000', '\r', '\n', '\u007f', '\u0085']) {
      const username = `tar${character}ek`;
      const response = await attempt('/secret', { Authorization: basicHeader(username, 'tarek') });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(response.backendCalls).toBe(0);
      expect(response.events[0]).toMatchObject({
        name: 'Username contains invalid characters',
        username,
      });
    }
  });

  it('refuses an over-long user name and answers 400 to two Authorization headers (A1.7)', async () => {
    const long = await attempt('/secret', { Authorization: basicHeader('a'.repeat(257), 'x') });
    expect(long.status).toBe(401);
    expect(long.backendCalls).toBe(0);
    const good = basicHeader('tarek', 'tarek');
    const twice = await attempt('/secret', ['Authorization', good, 'authorization', good]);
    expect(twice.status).toBe(400);
    expect(twice.backendCalls).toBe(0);
    const huge = await attempt('/secret', { Authorization: `Basic ${'A'.repeat(16 * 1024 + 1)}` });
    expect(huge.status).toBe(431);
  });

  it('answers 401, never 500, to passwords of other lengths (A1.8)', async () => {
    for (const password of ['t', 'tare', 'tarek!', 'x'.repeat(4000)]) {
      const response = await attempt('/secret', { Authorization: basicHeader('tarek', password) });
      expect(response.status).toBe(401);
      expect(response.events[0]!.name).toBe('User Authentication Failed');
    }
  });

  it('refuses a user whose stored hash is malformed with a 401 and one log line', async () => {
    const config = Config.fromObject({ auth: { backend: 'memory', users: 'broken:{SSHA}!!!' } });
    const brokenLogger = createMemoryLogger();
    const broken = createMemoryBackend(config.getSection('auth'), {
      config,
      logger: brokenLogger,
      location: config.locate('auth', 'backend'),
    });
    const brokenApp = await startAuthTestApp(
      new BasicAuthenticator({ backend: broken, config, logger: silentLogger }),
    );
    try {
      const response = await brokenApp.request('/secret', {
        Authorization: basicHeader('broken', 'password'),
      });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(brokenLogger.records.map((record) => [record.type, record.fields.user])).toEqual([
        ['auth.malformed_hash', 'broken'],
      ]);
    } finally {
      await brokenApp.close();
    }
  });

  it('propagates a backend outage as 503 with Retry-After and a CEF record', async () => {
    backend.down = true;
    try {
      const response = await attempt('/secret', { Authorization: basicHeader('tarek', 'tarek') });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.events).toEqual([
        expect.objectContaining({ name: 'Authentication backend unavailable', username: 'tarek' }),
      ]);
    } finally {
      backend.down = false;
    }
  });
});

describe('BasicAuthenticator', () => {
  it('escapes " and \\ in the realm', async () => {
    const config = await memoryConfig({ tarek: 'tarek' }, { realm: 'a "b" \\c' });
    const backend = createMemoryBackend(config.getSection('auth'), {
      config,
      logger: silentLogger,
      location: config.locate('auth', 'backend'),
    });
    const app = await startAuthTestApp(
      new BasicAuthenticator({ backend, config, logger: silentLogger }),
    );
    try {
      const response = await app.request('/secret');
      expect(response.headers['www-authenticate']).toBe(
        'Basic realm="a \\"b\\" \\\\c", charset="UTF-8"',
      );
    } finally {
      await app.close();
    }
  });

  it('refuses a realm with control characters and a pattern that does not compile', async () => {
    const backend = createMemoryBackend(
      {},
      {
        config: Config.fromObject({}),
        logger: silentLogger,
        location: { file: undefined, line: undefined },
      },
    );
    const make = (auth: Record<string, string>) => () =>
      new BasicAuthenticator({
        backend,
        config: Config.fromObject({ auth }),
        logger: silentLogger,
      });
    expect(make({ realm: 'a\r\nSet-Cookie: x' })).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_AUTH_BAD_REALM' }),
    );
    expect(make({ username_pattern: '^[a-z' })).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_AUTH_BAD_PATTERN' }),
    );
  });

  it('uses [auth] username_pattern', async () => {
    const config = await memoryConfig(
      { jörg: 'pässwörd' },
      { username_pattern: '^[\\p{L}]{1,20}$' },
    );
    const backend = createMemoryBackend(config.getSection('auth'), {
      config,
      logger: silentLogger,
      location: config.locate('auth', 'backend'),
    });
    const app = await startAuthTestApp(
      new BasicAuthenticator({ backend, config, logger: silentLogger }),
    );
    try {
      expect(
        (await app.request('/secret', { Authorization: basicHeader('jörg', 'pässwörd') })).status,
      ).toBe(200);
      expect(
        (await app.request('/secret', { Authorization: basicHeader('jörg1', 'pässwörd') })).status,
      ).toBe(401);
    } finally {
      await app.close();
    }
  });
});

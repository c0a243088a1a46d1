import { request } from 'node:http';
import type { Context } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import type { CefEvent, CefLogger } from '../cef/cef-event.js';
import { Config } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { hashPassword } from './passwords/hash-password.js';
import { basicHeader } from './test-support/auth-test-app.js';

class SecretController {
  constructor(readonly app: unknown) {}
  secret(ctx: Context): unknown {
    return { user: ctx.user?.username };
  }
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('createAuthenticator through createApp', () => {
  let server: TestServer;
  const events: CefEvent[] = [];

  beforeAll(async () => {
    const config = Config.fromObject({
      auth: {
        backend: 'memory',
        users: `tarek:${await hashPassword('tarek-password', 'ssha')}`,
        realm: 'Sync',
      },
    });
    const cef: CefLogger = {
      log: (event) => events.push(event),
      stats: () => ({ written: events.length, failed: 0 }),
      close: async () => {},
    };
    const app = createApp({
      config,
      routes: [
        { path: '/1.0/{username}/secret', controller: 'secret', action: 'secret', auth: true },
      ],
      controllers: { secret: SecretController },
      logger: createMemoryLogger(),
      cef,
    });
    server = await startTestServer(app);
  });

  afterAll(() => server.close());

  it('authenticates with the [auth] backend and refuses with a challenge and a CEF record', async () => {
    const ok = await get(server.url('/1.0/tarek/secret'), {
      Authorization: basicHeader('tarek', 'tarek-password'),
    });
    expect(ok.status).toBe(200);

    events.length = 0;
    const wrong = await get(server.url('/1.0/tarek/secret'), {
      Authorization: basicHeader('tarek', 'nope'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="Sync", charset="UTF-8"');
    expect(events).toEqual([
      expect.objectContaining({
        name: 'User Authentication Failed',
        severity: 5,
        signature: 'AuthFail',
        username: 'tarek',
      }),
    ]);

    const other = await get(server.url('/1.0/tarek/secret'), {
      Authorization: basicHeader('bob', 'tarek-password'),
    });
    expect(other.status).toBe(401);
    expect(other.headers['www-authenticate']).toBe('Basic realm="Sync", charset="UTF-8"');
  });

  it('answers 400 to two Authorization headers and never 500 to a bad user name', async () => {
    const good = basicHeader('tarek', 'tarek-password');
    const twice = await new Promise<number>((resolve, reject) => {
      request(
        server.url('/1.0/tarek/secret'),
        { headers: ['Authorization', good, 'Authorization', good], agent: false },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(twice).toBe(400);
    const bad = await get(server.url('/1.0/tarek/secret'), {
      Authorization: basicHeader('bad name', 'x'),
    });
    expect(bad.status).toBe(401);
  });
});

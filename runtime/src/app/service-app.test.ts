import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from 'koa';
import type { Authenticator, UserBackend } from '../auth/types.js';
import { hashPassword } from '../auth/passwords/hash-password.js';
import type { CefEvent, CefLogger } from '../cef/cef-event.js';
import { Config } from '../config/config.js';
import { ServiceError } from '../errors/service-error.js';
import { createMemoryLogger } from '../log/logger.js';
import { createApp, type CreateAppOptions } from './create-app.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

const controllers = {
  main: {
    hello: (ctx: Context) => ({
      user: ctx.user?.username ?? null,
      address: ctx.clientAddress,
      rid: ctx.requestId,
    }),
    cef: (ctx: Context) => {
      ctx.cef({ name: 'Probe', severity: 5 });
      return 'ok';
    },
    slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 150)),
  },
};

const backend = {
  name: 'fake',
  check: async () => {
    throw new Error('fake backend is down');
  },
  close: async () => {},
} as unknown as UserBackend;

const authenticator: Authenticator = {
  authenticate: async (ctx) => {
    if (ctx.get('authorization') === 'Basic ok') return { username: 'alice' };
    throw new ServiceError('SVC_ERR_AUTH_REQUIRED', 'authentication required', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="svc"' },
    });
  },
};

function build(
  options: Partial<CreateAppOptions> = {},
  config: Record<string, Record<string, never>> = {},
) {
  return createApp({
    config: Config.fromObject(config),
    routes: [
      { path: '/hello', controller: 'main', action: 'hello' },
      { path: '/private', controller: 'main', action: 'hello', auth: true },
      { path: '/cef', controller: 'main', action: 'cef' },
      { path: '/slow', controller: 'main', action: 'slow' },
    ],
    controllers,
    logger: createMemoryLogger(),
    authenticator,
    ...options,
  });
}

async function serve(app: ReturnType<typeof createApp>): Promise<TestServer> {
  const server = await startTestServer(app);
  running.push(server);
  return server;
}

describe('ServiceApp events', () => {
  it('fires request-start and request-end in order, also for errors, and app-end once', async () => {
    const app = build();
    const seen: string[] = [];
    app.on('request-start', (ctx) => seen.push(`start ${ctx.path}`));
    app.on('request-end', (ctx) => seen.push(`end ${ctx.path} ${ctx.status}`));
    app.on('request-end', () => seen.push('second handler'));
    app.on('app-end', () => seen.push('app-end'));
    const server = await serve(app);

    await fetch(server.url('/hello'));
    await fetch(server.url('/nowhere'));
    await app.close();
    await app.close();

    expect(seen).toEqual([
      'start /hello',
      'end /hello 200',
      'second handler',
      'start /nowhere',
      'end /nowhere 404',
      'second handler',
      'app-end',
    ]);
  });
});

describe('ServiceApp shutdown phases', () => {
  it('answers the heartbeat 503 while draining and everything 503 while closing', async () => {
    const app = build();
    const server = await serve(app);
    expect(app.shutdown.phase).toBe('running');
    expect((await fetch(server.url('/__heartbeat__'))).status).toBe(200);

    app.beginDraining();
    expect(app.shutdown.phase).toBe('draining');
    expect((await fetch(server.url('/__heartbeat__'))).status).toBe(503);
    expect((await fetch(server.url('/__lbheartbeat__'))).status).toBe(200);
    expect((await fetch(server.url('/hello'))).status).toBe(200);

    app.beginClosing();
    const closing = await fetch(server.url('/hello'));
    expect(closing.status).toBe(503);
    expect(closing.headers.get('retry-after')).toBe('5');
    expect(closing.headers.get('connection')).toBe('close');
    expect((await fetch(server.url('/__lbheartbeat__'))).status).toBe(503);
  });

  it('counts requests in flight', async () => {
    const app = build();
    const server = await serve(app);
    const pending = fetch(server.url('/slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.inFlight).toBe(1);
    expect(await (await pending).text()).toBe('late');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(app.inFlight).toBe(0);
  });
});

describe('ServiceApp authentication', () => {
  it('runs the authenticator on auth routes and keeps its 401 challenge', async () => {
    const server = await serve(build({ authenticator }));

    const refused = await fetch(server.url('/private'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="svc"');
    expect(refused.headers.get('x-weave-timestamp')).toBeNull();

    const accepted = await fetch(server.url('/private'), {
      headers: { Authorization: 'Basic ok' },
    });
    expect(await accepted.json()).toMatchObject({ user: 'alice' });
    expect(await (await fetch(server.url('/hello'))).json()).toMatchObject({ user: null });
  });

  it('registers a heartbeat check named after the backend', async () => {
    const server = await serve(build({ authenticator: { ...authenticator, backend } }));
    const response = await fetch(server.url('/__heartbeat__'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'error',
      checks: { fake: 'error' },
      details: {},
    });
  });

  it('builds the authenticator from the [auth] section in ready()', async () => {
    const hash = await hashPassword('pw-of-alice');
    const app = createApp({
      config: Config.fromObject({ auth: { backend: 'memory', users: `alice:${hash}` } }),
      routes: [{ path: '/private', controller: 'main', action: 'hello', auth: true }],
      controllers,
      logger: createMemoryLogger(),
    });
    const server = await serve(app);

    const basic = `Basic ${Buffer.from('alice:pw-of-alice').toString('base64')}`;
    const response = await fetch(server.url('/private'), { headers: { Authorization: basic } });
    expect(await response.json()).toMatchObject({ user: 'alice' });
    expect(await (await fetch(server.url('/__heartbeat__'))).json()).toMatchObject({
      checks: { memory: 'ok' },
    });
  });

  it('rejects ready() when the [auth] section cannot be used', async () => {
    const app = createApp({
      config: Config.fromObject({ auth: { backend: 'nonsense' } }),
      routes: [],
      controllers: {},
      logger: createMemoryLogger(),
    });
    await expect(app.ready()).rejects.toThrow(/nonsense/);
    await app.close();
  });
});

describe('ServiceApp beforeCall', () => {
  it('adds the returned headers, also to error answers', async () => {
    const server = await serve(build({ beforeCall: () => ({ 'X-Weave-Backoff': '30' }) }));
    expect((await fetch(server.url('/hello'))).headers.get('x-weave-backoff')).toBe('30');
    expect((await fetch(server.url('/private'))).headers.get('x-weave-backoff')).toBe('30');
  });

  it('refuses the request with the error it throws', async () => {
    const server = await serve(
      build({
        beforeCall: () => {
          throw new ServiceError('SVC_ERR_TEST_DOWN', 'database marked as down', {
            status: 503,
            expose: true,
            headers: { 'Retry-After': '30' },
          });
        },
      }),
    );
    const response = await fetch(server.url('/hello'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({ status: 503, message: 'database marked as down' });
  });
});

describe('ServiceApp request facts', () => {
  it('takes a valid X-Request-ID, makes one otherwise, and echoes it', async () => {
    const server = await serve(build());

    const taken = await fetch(server.url('/hello'), { headers: { 'X-Request-ID': 'abc.123_x-y' } });
    expect(taken.headers.get('x-request-id')).toBe('abc.123_x-y');
    expect(await taken.json()).toMatchObject({ rid: 'abc.123_x-y' });

    const made = await fetch(server.url('/hello'), { headers: { 'X-Request-ID': 'bad id\u00e9' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(server.url('/nowhere'))).headers.get('x-request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('ignores X-Forwarded-For unless trust_proxy is set', async () => {
    const server = await serve(build());
    const response = await fetch(server.url('/hello'), {
      headers: { 'X-Forwarded-For': '6.6.6.6' },
    });
    expect(await response.json()).toMatchObject({
      address: expect.stringMatching(/127\.0\.0\.1$/),
    });
  });

  it('takes the entry the nearest proxy added with trust_proxy and proxy_count 1', async () => {
    const server = await serve(build({}, { global: { trust_proxy: true } } as never));
    const response = await fetch(server.url('/hello'), {
      headers: { 'X-Forwarded-For': '6.6.6.6, 10.1.2.3' },
    });
    expect(await response.json()).toMatchObject({ address: '10.1.2.3' });
  });

  it('counts proxies from the right with proxy_count 2', async () => {
    const server = await serve(
      build({}, { global: { trust_proxy: true, proxy_count: 2 } } as never),
    );
    const response = await fetch(server.url('/hello'), {
      headers: { 'X-Forwarded-For': '6.6.6.6, 10.1.2.3, 10.0.0.1' },
    });
    expect(await response.json()).toMatchObject({ address: '10.1.2.3' });
  });

  it('fills the request facts of ctx.cef() events', async () => {
    const events: CefEvent[] = [];
    const cef: CefLogger = {
      log: (event) => events.push(event),
      stats: () => ({ written: 0, failed: 0 }),
      close: async () => {},
    };
    const server = await serve(build({ cef }));
    await fetch(server.url('/cef'), { headers: { 'User-Agent': 'probe/1' } });

    expect(events).toEqual([
      {
        name: 'Probe',
        severity: 5,
        request: {
          method: 'GET',
          path: '/cef',
          host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          userAgent: 'probe/1',
          remoteAddress: expect.stringMatching(/127\.0\.0\.1$/),
        },
      },
    ]);
  });
});

import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from 'koa';
import { Config } from '../config/config.js';
import { BackendError } from '../errors/backend-error.js';
import { ServiceError } from '../errors/service-error.js';
import { createMemoryLogger } from '../log/logger.js';
import { createApp, type CreateAppOptions } from './create-app.js';
import type { RouteDefinition } from './route-definition.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

class InfoController {
  constructor(readonly app: unknown) {}
  info(ctx: Context): unknown {
    return { params: ctx.params, query: ctx.query };
  }
  boom(): never {
    throw new Error('secret internals exploded');
  }
  backend(ctx: Context): never {
    const retry = ctx.query['retry'];
    throw new BackendError('db down at mysql://u:p@db', {
      backend: 'sql',
      ...(retry === undefined ? {} : { retryAfter: Number(retry) }),
    });
  }
  challenge(): never {
    throw new ServiceError('SVC_ERR_AUTH_REQUIRED', 'log in first', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="test"' },
    });
  }
  echo(ctx: Context): unknown {
    return { body: ctx.request.body };
  }
}

const routes: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/{api:1.0|1}/{username:[a-zA-Z0-9._-]+}/info',
    controller: 'info',
    action: 'info',
  },
  { methods: ['GET', 'PUT'], path: '/x/{name}', controller: 'info', action: 'info' },
  { path: '/params', controller: 'info', action: 'info' },
  { path: '/router/:username', controller: 'info', action: 'info' },
  { path: '/', controller: 'info', action: 'info' },
  { path: '/boom', controller: 'info', action: 'boom' },
  { path: '/backend', controller: 'info', action: 'backend' },
  { path: '/challenge', controller: 'info', action: 'challenge' },
  { method: 'POST', path: '/echo', controller: 'info', action: 'echo' },
];

async function start(
  overrides: Partial<CreateAppOptions> = {},
  config: Record<string, Record<string, string | number | boolean>> = {},
): Promise<TestServer & { logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const app = createApp({
    config: Config.fromObject(config),
    routes,
    controllers: { info: InfoController },
    logger,
    ...overrides,
  });
  const server = await startTestServer(app);
  running.push(server);
  return Object.assign(server, { logger });
}

describe('createApp routing', () => {
  it('matches the legacy vectors of {name:regex} patterns', async () => {
    const server = await start();

    const matched = await fetch(server.url('/1.0/bob/info'));
    expect(matched.status).toBe(200);
    expect(await matched.json()).toEqual({ params: { api: '1.0', username: 'bob' }, query: {} });

    expect((await fetch(server.url('/1/bob/info'))).status).toBe(200);
    expect((await fetch(server.url('/1.1/bob/info'))).status).toBe(404);
    expect((await fetch(server.url('/1.0/bo%2Fb/info'))).status).toBe(404);
  });

  it('answers HEAD on a GET route like GET, without a body', async () => {
    const server = await start();
    const response = await fetch(server.url('/1.0/bob/info'), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('matches {name} against one whole segment', async () => {
    const server = await start();
    expect(await (await fetch(server.url('/x/a.b'))).json()).toMatchObject({
      params: { name: 'a.b' },
    });
    expect((await fetch(server.url('/x/a/b'))).status).toBe(404);
    expect((await fetch(server.url('/x/'))).status).toBe(404);
    expect((await fetch(server.url('/x/a.b'), { method: 'PUT' })).status).toBe(200);
  });

  it('supports the router syntax too', async () => {
    const server = await start();
    expect(await (await fetch(server.url('/router/al%20ice'))).json()).toMatchObject({
      params: { username: 'al ice' },
    });
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path', async () => {
    const server = await start();

    const missing = await fetch(server.url('/nowhere'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ status: 404, message: 'Not Found' });

    const wrongMethod = await fetch(server.url('/x/a'), { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('HEAD, GET, PUT');
    expect(await wrongMethod.json()).toEqual({ status: 405, message: 'Method Not Allowed' });
  });

  it('strips trailing slashes before matching', async () => {
    const server = await start();
    expect((await fetch(server.url('/params/'))).status).toBe(200);
    expect((await fetch(server.url('/params///?a=1'))).status).toBe(200);
    expect((await fetch(server.url('/'))).status).toBe(200);
    expect((await fetch(server.url('//'))).status).toBe(404);
  });

  it('hands the query to the action, the last of repeated keys winning', async () => {
    const server = await start();
    const response = await fetch(server.url('/params?a=1&b=x&a=2'));
    expect(await response.json()).toEqual({ params: {}, query: { a: '2', b: 'x' } });
  });

  it('answers 400 for a broken escape in a pattern parameter', async () => {
    const server = await start();
    expect((await fetch(server.url('/x/%E0%A4%A'))).status).toBe(400);
  });
});

describe('createApp hostile paths', () => {
  it('answers odd paths with 4xx, never 5xx', async () => {
    const server = await start();
    for (const path of [
      '/a/../../etc/passwd',
      '/%2e%2e/',
      '/%00',
      '/%c0%ae',
      '/x/%E0%A4%A',
      '/router/%E0%A4%A',
    ]) {
      // node:http sends the path as written; fetch would normalise the dot segments away
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.get(server.url('/'), { path }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
    }
  });

  it('matches long dashed paths in linear time', async () => {
    const server = await start();
    const dashes = '-'.repeat(8000);
    const started = performance.now();
    for (const path of [
      `/${dashes}/bob/info`,
      `/1.0/${dashes}/info`,
      `/x/${dashes}`,
      `/router/${dashes}-`,
    ]) {
      await fetch(server.url(path));
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('createApp route table checks', () => {
  const config = Config.fromObject({});
  const build =
    (
      table: RouteDefinition[],
      controllers: CreateAppOptions['controllers'] = { info: InfoController },
    ) =>
    () =>
      createApp({ config, routes: table, controllers, logger: createMemoryLogger() });

  it('refuses a route naming a missing controller', () => {
    expect(build([{ method: 'GET', path: '/a', controller: 'nope', action: 'info' }])).toThrow(
      expect.objectContaining({
        code: 'SVC_ERR_APP_UNKNOWN_CONTROLLER',
        message: expect.stringContaining('GET /a -> nope.info'),
      }),
    );
  });

  it('refuses a route naming a missing action', () => {
    expect(build([{ path: '/a', controller: 'info', action: 'missing' }])).toThrow(
      expect.objectContaining({
        code: 'SVC_ERR_APP_UNKNOWN_ACTION',
        message: expect.stringContaining('missing'),
      }),
    );
  });

  it('refuses invalid entries', () => {
    expect(build([{ path: 'a', controller: 'info', action: 'info' }])).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_APP_INVALID_ROUTE' }),
    );
    expect(build([{ method: 'FETCH', path: '/a', controller: 'info', action: 'info' }])).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_APP_INVALID_ROUTE' }),
    );
    expect(build([{ path: '/{a:[}', controller: 'info', action: 'info' }])).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_APP_INVALID_ROUTE' }),
    );
  });

  it('refuses an auth route when nothing can authenticate', () => {
    expect(build([{ path: '/a', controller: 'info', action: 'info', auth: true }])).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_APP_AUTH_NOT_CONFIGURED' }),
    );
  });

  it('accepts a plain object as a controller and builds classes once with the app', async () => {
    const built: unknown[] = [];
    class Counted {
      constructor(app: unknown) {
        built.push(app);
      }
      one(): string {
        return 'one';
      }
      two(): string {
        return 'two';
      }
    }
    const app = createApp({
      config,
      logger: createMemoryLogger(),
      routes: [
        { path: '/one', controller: 'counted', action: 'one' },
        { path: '/two', controller: 'counted', action: 'two' },
        { path: '/plain', controller: 'plain', action: 'hello' },
      ],
      controllers: { counted: Counted, plain: { hello: () => 'hi' } },
    });
    expect(built).toEqual([app]);

    const server = await startTestServer(app);
    running.push(server);
    expect(await (await fetch(server.url('/plain'))).text()).toBe('hi');
  });
});

describe('createApp errors', () => {
  it('answers an uncaught error with a crash id and logs it', async () => {
    const server = await start();
    const response = await fetch(server.url('/boom'), { headers: { 'X-Request-ID': 'req-1' } });

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.text();
    expect(body).toMatch(/^"application error: crash id [0-9a-f]{32}"$/);
    expect(body).not.toContain('secret');

    const record = server.logger.records.find((entry) => entry.type === 'app.error');
    expect(record?.fields).toMatchObject({
      crashId: body.slice(-33, -1),
      method: 'GET',
      path: '/boom',
      rid: 'req-1',
      stack: expect.stringContaining('secret internals exploded'),
    });
  });

  it('shows the stack on a development page with client_debug', async () => {
    const server = await start({}, { global: { client_debug: true } });
    const response = await fetch(server.url('/boom'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('secret internals exploded');
  });

  it.each([
    ['?retry=10', '10'],
    ['', '60'],
    ['?retry=0', null],
  ])('answers BackendError%s with Retry-After %s and one encoding', async (query, retryAfter) => {
    const server = await start({}, { global: { retry_after: 60 } });
    const response = await fetch(server.url(`/backend${query}`));

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await response.text())).toMatch(/^application error: crash id [0-9a-f]{32}$/);
    expect(server.logger.records.find((entry) => entry.type === 'app.error')?.fields).toMatchObject(
      {
        backend: 'sql',
      },
    );
  });

  it('defaults Retry-After to 1800', async () => {
    const server = await start();
    expect((await fetch(server.url('/backend'))).headers.get('retry-after')).toBe('1800');
  });

  it('keeps the status, headers and message of an HTTP error', async () => {
    const server = await start();
    const response = await fetch(server.url('/challenge'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="test"');
    expect(await response.json()).toEqual({ status: 401, message: 'log in first' });
  });

  it('refuses malformed JSON with 400 and a large body with 413', async () => {
    const server = await start({}, { server: { body_limit: '1kb' } });
    const post = (body: string) =>
      fetch(server.url('/echo'), {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json' },
      });

    expect((await post('{"user"')).status).toBe(400);
    expect((await post(JSON.stringify({ a: 'x'.repeat(2000) }))).status).toBe(413);
    expect(await (await post('{"a":1}')).json()).toEqual({ body: { a: 1 } });
  });
});

describe('createApp timestamp header', () => {
  it('is set on success and on returned 404 and 405', async () => {
    const server = await start();
    for (const [path, method] of [
      ['/params', 'GET'],
      ['/nowhere', 'GET'],
      ['/params', 'DELETE'],
    ] as const) {
      const response = await fetch(server.url(path), { method });
      expect(response.headers.get('x-weave-timestamp')).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('is absent on raised 401 and 503', async () => {
    const server = await start();
    expect((await fetch(server.url('/challenge'))).headers.get('x-weave-timestamp')).toBeNull();
    expect((await fetch(server.url('/backend'))).headers.get('x-weave-timestamp')).toBeNull();
  });

  it('takes its name from global.timestamp_header', async () => {
    const server = await start({}, { global: { timestamp_header: 'X-Server-Time' } });
    expect((await fetch(server.url('/params'))).headers.get('x-server-time')).toMatch(
      /^\d+\.\d{2}$/,
    );
  });
});

describe('createApp request context', () => {
  it('gives each request the config view of its Host header', async () => {
    const app = createApp({
      config: Config.fromObject({
        storage: { quota: 10 },
        'host:big.example': { 'storage.quota': 99 },
      }),
      routes: [{ path: '/quota', controller: 'c', action: 'quota' }],
      controllers: { c: { quota: (ctx: Context) => String(ctx.config.get('storage', 'quota')) } },
      logger: createMemoryLogger(),
    });
    const server = await startTestServer(app);
    running.push(server);

    const quotaFor = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const request = http.get(server.url('/quota'), { headers: { Host: host } }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve(body));
        });
        request.on('error', reject);
      });
    expect(await quotaFor('big.example')).toBe('99');
    expect(await quotaFor('other.example')).toBe('10');
  });

  it('logs an error raised after the headers went out and cuts the connection', async () => {
    const logger = createMemoryLogger();
    const app = createApp({
      config: Config.fromObject({}),
      routes: [{ path: '/late', controller: 'c', action: 'late' }],
      controllers: {
        c: {
          late: async (ctx: Context) => {
            ctx.status = 200;
            ctx.res.write('partial');
            throw new Error('too late');
          },
        },
      },
      logger,
    });
    const server = await startTestServer(app);
    running.push(server);

    const response = await fetch(server.url('/late'));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(logger.records.find((record) => record.type === 'app.error')?.fields).toMatchObject({
      late: true,
      error: 'too late',
    });
  });
});

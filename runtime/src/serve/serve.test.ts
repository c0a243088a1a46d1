import { request, Agent, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Config } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { serve } from './serve.js';
import type { RunningServer } from './serve-options.js';

const routes = [
  { method: 'GET', path: '/', controller: 'demo', action: 'hello' },
  { method: 'GET', path: '/slow', controller: 'demo', action: 'slow' },
];
const controllers = {
  demo: {
    hello: () => 'hello',
    slow: async (ctx: { query: Record<string, unknown> }) => {
      await new Promise((resolve) => setTimeout(resolve, Number(ctx.query.ms ?? 200)));
      return 'slow';
    },
  },
};

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(
  port: number,
  path: string,
  options: { agent?: Agent; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, agent: options.agent ?? false, headers: options.headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(server: Record<string, string | number> = {}): Promise<RunningServer> {
  const config = Config.fromObject({ server: { port: 0, ...server } });
  const started = await serve({
    config,
    routes,
    controllers,
    logger: createMemoryLogger(),
    signals: false,
  });
  running.push(started);
  return started;
}

describe('serve', () => {
  it('listens on 127.0.0.1 by default and answers through the app', async () => {
    const server = await start();
    expect(server.address).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(await get(server.port, '/')).toMatchObject({ status: 200, body: 'hello' });
  });

  it('announces the keepalive_timeout on kept-alive responses', async () => {
    const server = await start({ keepalive_timeout: 75 });
    const agent = new Agent({ keepAlive: true });
    const answer = await get(server.port, '/', { agent });
    agent.destroy();
    expect(answer.headers['keep-alive']).toBe('timeout=75');
  });

  it('answers 431 past max_header_size', async () => {
    const server = await start({ max_header_size: 2048 });
    const big = { 'x-padding': 'a'.repeat(3000) };
    expect((await get(server.port, '/', { headers: big })).status).toBe(431);
    expect(
      (await get(server.port, '/', { headers: { 'x-padding': 'a'.repeat(1000) } })).status,
    ).toBe(200);
  });

  it('closes a kept-alive socket after max_requests_per_socket requests', async () => {
    const server = await start({ max_requests_per_socket: 2 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(server.port, '/', { agent });
    const second = await get(server.port, '/', { agent });
    agent.destroy();
    expect(first.headers.connection).toBe('keep-alive');
    expect(second.headers.connection).toBe('close');
  });

  it('close() lets a request in progress finish with Connection: close, then refuses connections', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    const slow = get(server.port, '/slow?ms=300', { agent });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closing = server.close();
    running.length = 0;
    const answer = await slow;
    await closing;
    agent.destroy();

    expect(answer).toMatchObject({ status: 200, body: 'slow' });
    expect(answer.headers.connection).toBe('close');
    await expect(get(server.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with SVC_ERR_SERVE_LISTEN when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = Config.fromObject({ server: { port } });
      await expect(
        serve({ config, routes, controllers, logger: createMemoryLogger(), signals: false }),
      ).rejects.toMatchObject({
        code: 'SVC_ERR_SERVE_LISTEN',
        message: expect.stringContaining(`127.0.0.1:${port}: EADDRINUSE`),
      });
    } finally {
      blocker.close();
    }
  });

  it('rejects a broken route table before listening', async () => {
    const config = Config.fromObject({ server: { port: 0 } });
    const broken = [{ method: 'GET', path: '/', controller: 'missing', action: 'hello' }];
    await expect(
      serve({ config, routes: broken, controllers, logger: createMemoryLogger(), signals: false }),
    ).rejects.toMatchObject({ name: 'ConfigError' });
  });

  it('refuses both config and configFile', async () => {
    await expect(
      serve({
        config: Config.fromObject({}),
        configFile: 'a.ini',
        routes,
        controllers,
        signals: false,
      }),
    ).rejects.toMatchObject({ code: 'SVC_ERR_SERVE_OPTIONS' });
  });

  it('logs server.listening with the bound address and port', async () => {
    const logger = createMemoryLogger();
    const config = Config.fromObject({ server: { port: 0 } });
    const server = await serve({ config, routes, controllers, logger, signals: false });
    running.push(server);
    expect(logger.records.find((record) => record.type === 'server.listening')?.fields).toEqual({
      address: '127.0.0.1',
      port: server.port,
    });
  });
});

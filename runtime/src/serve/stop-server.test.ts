import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.js';
import { Config } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { createHttpServer } from './create-http-server.js';
import { listen } from './listen.js';
import { readServerSettings } from './server-settings.js';
import { stopServer } from './stop-server.js';

const routes = [
  { method: 'GET', path: '/', controller: 'demo', action: 'hello' },
  { method: 'GET', path: '/slow', controller: 'demo', action: 'slow' },
];
const controllers = {
  demo: {
    hello: () => 'hello',
    slow: async (ctx: { query: Record<string, unknown> }) => {
      await new Promise((resolve) => setTimeout(resolve, Number(ctx.query.ms)));
      return 'slow';
    },
  },
};

function status(port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    outgoing.end();
  });
}

const at = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function started() {
  const config = Config.fromObject({});
  const logger = createMemoryLogger();
  const app = createApp({ config, routes, controllers, logger });
  await app.ready();
  const { server, connections } = createHttpServer(app, readServerSettings(config));
  const { port } = await listen(server, '127.0.0.1', 0);
  let appEnds = 0;
  app.on('app-end', () => appEnds++);
  return { app, server, connections, logger, port, appEnds: () => appEnds };
}

describe('stopServer', () => {
  it('runs the legacy phases: heartbeat 503 first, then every request 503, then app-end once', async () => {
    const target = await started();
    const phases = { drainingMs: 300, closingMs: 300, signal: 'SIGTERM' };
    const stopped = stopServer(target, { phases, drainTimeoutMs: 1000 });

    await at(100);
    const draining = await Promise.all([
      status(target.port, '/__heartbeat__'),
      status(target.port, '/'),
    ]);
    await at(300);
    const closing = await Promise.all([
      status(target.port, '/__heartbeat__'),
      status(target.port, '/'),
    ]);
    const result = await stopped;

    expect(draining).toEqual([503, 200]);
    expect(closing).toEqual([503, 503]);
    expect(result).toEqual({ abandoned: 0 });
    expect(target.appEnds()).toBe(1);
    expect(await status(target.port, '/')).toBe('ECONNREFUSED');
    expect(target.logger.records.map((record) => record.type)).toEqual(
      expect.arrayContaining(['server.draining', 'server.closing', 'server.stopped']),
    );
  });

  it('answers a request that started before the stop', async () => {
    const target = await started();
    const slow = status(target.port, '/slow?ms=400');
    await at(50);
    const result = await stopServer(target, {
      phases: { drainingMs: 100, closingMs: 100, signal: 'SIGTERM' },
      drainTimeoutMs: 2000,
    });
    expect(await slow).toBe(200);
    expect(result.abandoned).toBe(0);
  });

  it('cuts off and counts the requests still running at the drain timeout', async () => {
    const target = await started();
    const slow = status(target.port, '/slow?ms=3000');
    await at(50);
    const begun = Date.now();
    const result = await stopServer(target, { drainTimeoutMs: 200 });
    expect(Date.now() - begun).toBeLessThan(1500);
    expect(result.abandoned).toBe(1);
    expect(await slow).toBe('ECONNRESET');
    expect(
      target.logger.records.find((r) => r.type === 'server.drain.timeout')?.fields,
    ).toMatchObject({
      abandoned: 1,
    });
  });

  it('closes an idle kept-alive socket only after it has been idle for a while', async () => {
    const target = await started();
    const socket = connect(target.port, '127.0.0.1');
    let closedAt = 0;
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('data', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await at(100);

    const begun = Date.now();
    await stopServer(target, { drainTimeoutMs: 3000 });
    expect(closedAt).toBeGreaterThan(0);
    // the grace (1 s) counts from the socket's last response, about 100 ms before the stop
    expect(closedAt - begun).toBeGreaterThanOrEqual(800);
    expect(closedAt - begun).toBeLessThan(2000);
  });
});

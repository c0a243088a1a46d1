import { afterEach, describe, expect, it } from 'vitest';
import { Config, type ConfigValue } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { createApp } from '../app/create-app.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { clfDate } from './access-log.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

async function serve(config: Record<string, Record<string, ConfigValue>>) {
  const logger = createMemoryLogger();
  const app = createApp({
    config: Config.fromObject(config),
    routes: [
      { path: '/hello', controller: 'c', action: 'hello' },
      { path: '/boom', controller: 'c', action: 'boom' },
      { path: '/spin', controller: 'c', action: 'spin' },
    ],
    controllers: {
      c: {
        hello: () => 'hello',
        boom: () => {
          throw new Error('boom');
        },
        spin: () => {
          const until = Date.now() + 50;
          let count = 0;
          while (Date.now() < until) count += 1;
          return String(count);
        },
      },
    },
    logger,
  });
  const server = await startTestServer(app);
  running.push(server);
  return { server, logger };
}

describe('accessLog', () => {
  it('is off unless debug or access_log is set', async () => {
    const { server, logger } = await serve({});
    await fetch(server.url('/hello'));
    expect(logger.records.filter((record) => record.type.startsWith('request.'))).toEqual([]);
  });

  it('writes one combined line per request, errors and 404s included', async () => {
    const { server, logger } = await serve({ logging: { access_log: true } });
    await fetch(server.url('/hello?x=1'), {
      headers: {
        'User-Agent': 'probe "1"\tforged',
        Referer: 'http://r.example/',
        'X-Request-ID': 'rid-7',
      },
    });
    await fetch(server.url('/nowhere'));
    await fetch(server.url('/boom'));

    const lines = logger.records.filter((record) => record.type === 'request.access');
    expect(lines.map((record) => record.fields['msg'])).toEqual([
      expect.stringMatching(
        /^(::ffff:)?127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/hello\?x=1 HTTP\/1\.1" 200 5 "http:\/\/r\.example\/" "probe \\"1\\"\\x09forged"$/,
      ),
      expect.stringMatching(/"GET \/nowhere HTTP\/1\.1" 404 \d+ "-" "/),
      expect.stringMatching(/"GET \/boom HTTP\/1\.1" 500 \d+ "-" "/),
    ]);
    expect(lines[0]?.fields['rid']).toBe('rid-7');
  });

  it('writes mozlog request.summary records with access_format = json', async () => {
    const { server, logger } = await serve({
      global: { debug: true },
      logging: { access_format: 'json' },
    });
    await fetch(server.url('/hello'), {
      headers: { 'X-Request-ID': 'rid-8', 'Accept-Language': 'fr', 'X-Forwarded-For': '10.0.0.2' },
    });

    const summary = logger.records.find((record) => record.type === 'request.summary');
    expect(summary?.fields).toMatchObject({
      method: 'GET',
      path: '/hello',
      code: 200,
      t: expect.any(Number),
      rid: 'rid-8',
      lang: 'fr',
      agent: expect.any(String),
      remoteAddressChain: ['10.0.0.2', expect.stringMatching(/127\.0\.0\.1$/)],
    });
  });

  it('prints dates as %d/%b/%Y:%H:%M:%S +HHMM', () => {
    expect(clfDate(new Date(2011, 1, 3, 4, 5, 6))).toMatch(/^03\/Feb\/2011:04:05:06 [+-]\d{4}$/);
  });
});

describe('profiler', () => {
  it('is off by default', async () => {
    const { server } = await serve({});
    expect((await fetch(server.url('/__profile__'))).status).toBe(404);
  });

  it('records a profile between start and stop and lists the hottest functions', async () => {
    const { server } = await serve({ global: { profile: true } });

    expect((await fetch(server.url('/__profile__/download'))).status).toBe(404);
    expect((await fetch(server.url('/__profile__/start'), { method: 'POST' })).status).toBe(202);
    expect((await fetch(server.url('/__profile__/start'), { method: 'POST' })).status).toBe(409);
    await fetch(server.url('/spin'));
    const stopped = await fetch(server.url('/__profile__/stop'), { method: 'POST' });
    expect(stopped.status).toBe(200);

    const page = (await (await fetch(server.url('/__profile__'))).json()) as {
      download: string;
      hottest: unknown[];
    };
    expect(page.download).toBe('/__profile__/download');
    expect(page.hottest.length).toBeGreaterThan(0);
    expect(page.hottest.length).toBeLessThanOrEqual(20);
    expect(page.hottest[0]).toEqual({
      functionName: expect.any(String),
      location: expect.any(String),
      selfMs: expect.any(Number),
    });

    const download = await fetch(server.url('/__profile__/download'));
    expect(download.headers.get('content-disposition')).toContain('profile.cpuprofile');
    expect(await download.json()).toMatchObject({
      nodes: expect.any(Array),
      samples: expect.any(Array),
    });
  });

  it('answers only loopback clients', async () => {
    const { server } = await serve({ global: { profile: true, trust_proxy: true } });
    const response = await fetch(server.url('/__profile__'), {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(response.status).toBe(404);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Config, type ConfigValue } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { createApp } from '../app/create-app.js';
import type { ServiceApp } from '../app/service-app.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

async function serve(
  config: Record<string, Record<string, ConfigValue>> = {},
  prepare: (app: ServiceApp) => void = () => {},
): Promise<TestServer> {
  const app = createApp({
    config: Config.fromObject(config),
    routes: [{ method: 'POST', path: '/__heartbeat__', controller: 'c', action: 'posted' }],
    controllers: { c: { posted: () => 'posted' } },
    logger: createMemoryLogger(),
  });
  prepare(app);
  const server = await startTestServer(app);
  running.push(server);
  return server;
}

describe('heartbeat page', () => {
  it('answers GET and HEAD with the Dockerflow report, and routes POST', async () => {
    const server = await serve({}, (app) => app.addCheck('db', async () => {}));

    const get = await fetch(server.url('/__heartbeat__'));
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ status: 'ok', checks: { db: 'ok' }, details: {} });

    const head = await fetch(server.url('/__heartbeat__/'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    expect(await (await fetch(server.url('/__heartbeat__'), { method: 'POST' })).text()).toBe(
      'posted',
    );
  });

  it('answers POST 404 when no route takes it', async () => {
    const app = createApp({
      config: Config.fromObject({}),
      routes: [],
      controllers: {},
      logger: createMemoryLogger(),
    });
    const server = await startTestServer(app);
    running.push(server);
    expect((await fetch(server.url('/__heartbeat__'), { method: 'POST' })).status).toBe(404);
  });

  it('moves with global.heartbeat_page', async () => {
    const app = createApp({
      config: Config.fromObject({ global: { heartbeat_page: '__hb__' } }),
      routes: [],
      controllers: {},
      logger: createMemoryLogger(),
    });
    const server = await startTestServer(app);
    running.push(server);
    expect((await fetch(server.url('/__hb__'))).status).toBe(200);
    expect((await fetch(server.url('/__heartbeat__'))).status).toBe(404);
  });

  it('answers 503 naming the failing check, with a reason only in debug mode', async () => {
    const failing = (app: ServiceApp): void => {
      app.addCheck('db', async () => {});
      app.addCheck('ldap', async () => {
        throw new Error('cannot reach ldap://admin:hunter2@dir');
      });
    };

    const quiet = await serve({}, failing);
    const response = await fetch(quiet.url('/__heartbeat__'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'error',
      checks: { db: 'ok', ldap: 'error' },
      details: {},
    });

    const verbose = await serve({ global: { debug: true } }, failing);
    const text = await (await fetch(verbose.url('/__heartbeat__'))).text();
    expect(JSON.parse(text).details).toEqual({ ldap: 'cannot reach ldap://****:****@dir' });
    expect(text).not.toContain('hunter2');
  });

  it('times a hanging check out', async () => {
    const server = await serve({ global: { heartbeat_timeout: 0.2 } }, (app) =>
      app.addCheck('hang', () => new Promise(() => {})),
    );
    const started = Date.now();
    const response = await fetch(server.url('/__heartbeat__'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { hang: 'error' } });
  });
});

describe('lbheartbeat page', () => {
  it('answers 200 without running any check', async () => {
    let ran = false;
    const server = await serve({}, (app) =>
      app.addCheck('db', async () => {
        ran = true;
        throw new Error('down');
      }),
    );
    const response = await fetch(server.url('/__lbheartbeat__'));
    expect(response.status).toBe(200);
    expect(ran).toBe(false);
  });
});

describe('version page', () => {
  it('serves version.json from global.version_file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'version-'));
    const file = join(folder, 'version.json');
    const version = {
      source: 'https://example.org/svc',
      version: '1.2.3',
      commit: 'abc',
      build: 'ci/1',
    };
    writeFileSync(file, JSON.stringify(version));

    const server = await serve({ global: { version_file: file } });
    expect(await (await fetch(server.url('/__version__'))).json()).toEqual(version);
  });

  it('falls back to the name and version of package.json', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'version-'));
    const file = join(folder, 'package.json');
    writeFileSync(file, JSON.stringify({ name: 'my-service', version: '0.4.0', private: true }));

    const server = await serve({
      global: { version_file: join(folder, 'none.json'), package_file: file },
    });
    expect(await (await fetch(server.url('/__version__'))).json()).toEqual({
      name: 'my-service',
      version: '0.4.0',
    });
  });
});

describe('debug page', () => {
  const secretConfig = {
    global: { debug_page: '__debug__' },
    database: {
      sqluri: 'pymysql://sync:secret1@db/sync',
      password: 'secret2',
      other_uri: 'mysql://u:secret3@h/db',
      urls: ['ldap://a:secret4@x', 'http://plain.example/'],
    },
    captcha: { private_key: 'secret5', public_key: 'secret6' },
    ldap: { bind_password: 'secret7', api_token: 'secret8' },
  };

  it('is off by default', async () => {
    const server = await serve();
    expect((await fetch(server.url('/__debug__'))).status).toBe(404);
  });

  it('shows masked request facts and config to loopback clients', async () => {
    const server = await serve(secretConfig);
    const response = await fetch(server.url('/__debug__'), {
      headers: { Authorization: 'Basic c2VjcmV0OTo=', Cookie: 'sid=secret10' },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const report = JSON.parse(text);

    expect(report.config).toMatchObject({
      'database.sqluri': 'pymysql://****:****@db/sync',
      'database.password': '********',
      'database.other_uri': 'mysql://****:****@h/db',
      'database.urls': ['ldap://****:****@x', 'http://plain.example/'],
      'captcha.private_key': '********',
    });
    expect(report.request.headers).toMatchObject({ authorization: '********', cookie: '********' });
    expect(report.process).toMatchObject({ pid: process.pid });
    expect(report.runtime.node).toBe(process.versions.node);
    expect(text).not.toMatch(/secret\d/);
    expect(text).not.toContain('c2VjcmV0OTo');
  });

  it('answers escaped HTML when asked', async () => {
    const server = await serve(secretConfig);
    const response = await fetch(server.url('/__debug__?<b>'), {
      headers: { Accept: 'text/html' },
    });
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Debug information');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/secret\d/);
  });

  it('refuses clients that are not on loopback', async () => {
    const server = await serve({ global: { debug_page: '__debug__', trust_proxy: true } });
    const response = await fetch(server.url('/__debug__'), {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(response.status).toBe(404);
    const local = await fetch(server.url('/__debug__'), {
      headers: { 'X-Forwarded-For': '127.0.0.1' },
    });
    expect(local.status).toBe(200);
  });

  it('answers everyone with debug_page_public', async () => {
    const server = await serve({
      global: { debug_page: '__debug__', trust_proxy: true, debug_page_public: true },
    });
    const response = await fetch(server.url('/__debug__'), {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(response.status).toBe(200);
  });
});

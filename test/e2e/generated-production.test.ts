// A real nginx, with the generated etc/nginx.conf, in front of a generated service with two
// workers started by `npm start`: the client address, the request id, reloads, a killed worker
// and SIGTERM under load, as production sees them. Needs nginx (scripts/setup.sh) and
// `npm run build`; the install shares the npm cache (about 10 s).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, isAlive, root, runLoad, sleep } from './serve-harness.js';
import { generateProject, runIn, scratchFolder } from './support/generated-project.js';
import { startNpmService, type NpmService, type TextLine } from './support/npm-service.js';

const name = 'front-svc';
const scratch = scratchFolder('generated-production-');
const nginxDir = join(scratch.path, 'nginx');
let project = '';
let service: NpmService;
let nginxPort = 0;
let upstreamPort = 0;

// what an operator adds on top of the generated config behind nginx; the shorter shutdown
// phases keep the SIGTERM test short
function writeProductionConfig(accessFormat: 'combined' | 'json'): string {
  const file = join(project, 'etc', 'production.ini');
  writeFileSync(
    file,
    [
      '[DEFAULT]',
      `extends = ${name}.ini`,
      '',
      '[global]',
      'trust_proxy = true',
      'proxy_count = 1',
      'graceful_shutdown_interval = 0.5',
      'hard_shutdown_interval = 0.5',
      '',
      '[logging]',
      'access_log = true',
      `access_format = ${accessFormat}`,
      '',
    ].join('\n'),
  );
  return file;
}

function startUpstream(): Promise<NpmService> {
  return startNpmService(project, {
    PORT: String(upstreamPort),
    SERVICES_CONFIG: 'etc/production.ini',
  });
}

function startNginx(): void {
  execFileSync(
    join(root, 'scripts', 'start-nginx.sh'),
    [nginxDir, String(nginxPort), String(upstreamPort), join(project, 'etc', 'nginx.conf')],
    { timeout: 15_000 },
  );
}

function stopNginx(): void {
  const pidFile = join(nginxDir, 'nginx.fg.pid');
  if (existsSync(pidFile))
    execFileSync(join(root, 'scripts', 'stop-by-pid.sh'), [pidFile], { timeout: 15_000 });
}

function records(type: string, from = 0): TextLine[] {
  return service.lines.slice(from).filter((line) => line.Type === type);
}

function accessRecordOf(path: string): (line: TextLine) => boolean {
  return (line) =>
    line.Type === 'request.access' && String(line.Fields?.msg).includes(` ${path} HTTP/`);
}

beforeAll(async () => {
  if (!['/usr/sbin/nginx', '/usr/bin/nginx'].some((path) => existsSync(path)))
    throw new Error('nginx is not installed: run scripts/setup.sh');
  project = generateProject(scratch.path, name, ['--auth', 'memory', '--workers', '2']);
  runIn(project, 'npm', ['run', 'build']);
  writeProductionConfig('combined');
  upstreamPort = await freePort();
  service = await startUpstream();
  nginxPort = await freePort();
  startNginx();
});

afterAll(async () => {
  try {
    stopNginx();
  } finally {
    await service?.stop();
    scratch.remove();
  }
});

describe('nginx with the generated etc/nginx.conf in front of the generated service', () => {
  it('passes requests and the heartbeat through to both workers', async () => {
    const hello = await get(nginxPort, '/hello/world');
    expect(hello.status).toBe(200);
    expect(JSON.parse(hello.body)).toEqual({ greeting: 'Hello, world!', service: name });
    const heartbeat = await get(nginxPort, '/__heartbeat__');
    expect(heartbeat.status).toBe(200);
    expect(JSON.parse(heartbeat.body)).toMatchObject({ status: 'ok', checks: { memory: 'ok' } });

    // parallel requests make nginx open more than one upstream connection, and the cluster
    // hands connections to the workers in turn
    const load = await runLoad({
      port: nginxPort,
      path: '/hello/spread',
      connections: 4,
      durationMs: 400,
    });
    expect(Object.keys(load.statuses)).toEqual(['200']);
    await sleep(200);
    const pids = new Set(
      service.lines.filter(accessRecordOf('/hello/spread')).map((line) => line.Pid),
    );
    expect(service.liveWorkers()).toHaveLength(2);
    expect(pids).toEqual(new Set(service.liveWorkers()));
  });

  it('logs the address nginx saw, never the X-Forwarded-For the client wrote', async () => {
    // the client connects from 127.0.0.5 (all of 127/8 is loopback): the service's socket peer
    // is nginx on 127.0.0.1, so only the entry nginx appends can yield 127.0.0.5
    const agent = new Agent({ localAddress: '127.0.0.5' });
    const path = `/hello/address-${Date.now()}`;
    const answer = await get(nginxPort, path, {
      agent,
      headers: { 'X-Forwarded-For': '203.0.113.66' },
    });
    agent.destroy();
    const access = await service.waitFor(accessRecordOf(path), 5000, 'the access record');

    expect(answer.status).toBe(200);
    expect(String(access.Fields?.msg)).toMatch(/^127\.0\.0\.5 - - \[/);
    expect(access.text).not.toContain('203.0.113.66');
  });

  it('echoes the request id the client sent and logs the request with it', async () => {
    const requestId = `client-${Date.now()}`;
    const path = `/hello/rid-${Date.now()}`;
    const answer = await get(nginxPort, path, { headers: { 'X-Request-ID': requestId } });
    const access = await service.waitFor(accessRecordOf(path), 5000, 'the access record');
    expect(answer.headers['x-request-id']).toBe(requestId);
    expect(access.Fields?.rid).toBe(requestId);

    // without one, the id nginx makes goes through and back
    const made = await get(nginxPort, '/hello/no-rid');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('replaces a worker killed with SIGKILL while nginx keeps answering', async () => {
    const listening = records('cluster.worker.listening').length;
    const [victim] = service.liveWorkers();
    process.kill(victim!, 'SIGKILL');
    await service.waitFor(
      () => records('cluster.worker.listening').length > listening,
      10_000,
      'a replacement worker',
    );

    const statuses = [];
    for (let index = 0; index < 20; index++)
      statuses.push((await get(nginxPort, '/hello/x')).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(
      records('cluster.worker.exit').find((line) => line.Fields?.pid === victim)?.Fields,
    ).toMatchObject({
      replaced: true,
      signal: 'SIGKILL',
    });
    expect(service.liveWorkers()).toHaveLength(2);
  });

  it('fails no request when SIGHUP replaces the workers under load, and the new ones read the changed config', async () => {
    const before = service.liveWorkers();
    const from = service.lines.length;
    writeProductionConfig('json');
    const load = runLoad({
      port: nginxPort,
      path: '/hello/reload',
      connections: 8,
      durationMs: 4000,
    });
    await sleep(300);
    process.kill(service.pid, 'SIGHUP');
    await service.waitFor(
      (line) => line.Type === 'cluster.reloaded' && service.lines.indexOf(line) >= from,
      15_000,
      'cluster.reloaded',
    );
    const result = await load;

    console.info(
      'SIGHUP under load through nginx:',
      JSON.stringify({ ...result, pids: undefined }),
    );
    expect(result.failures).toEqual([]);
    expect(result.refused).toBe(0);
    expect(Object.keys(result.statuses)).toEqual(['200']);
    for (const pid of before) expect(isAlive(pid)).toBe(false);
    expect(service.liveWorkers()).toHaveLength(2);
    expect(records('request.summary', from).length).toBeGreaterThan(0);
  });

  it('writes json access records in the mozlog shape, with a nanosecond Timestamp', async () => {
    const requestId = `mozlog-${Date.now()}`;
    await get(nginxPort, '/hello/mozlog', { headers: { 'X-Request-ID': requestId } });
    const record = await service.waitFor(
      (line) => line.Type === 'request.summary' && line.Fields?.rid === requestId,
      5000,
      'the request.summary record',
    );

    expect(record).toMatchObject({
      Type: 'request.summary',
      Logger: name,
      Hostname: hostname(),
      EnvVersion: '2.0',
      Severity: 6,
      Fields: { method: 'GET', path: '/hello/mozlog', code: 200, rid: requestId },
    });
    expect(service.liveWorkers()).toContain(record.Pid);
    // a JSON number of 19 digits: nanoseconds since the epoch, near now
    const timestamp = /"Timestamp":(\d+)[,}]/.exec(record.text)?.[1] ?? '';
    expect(timestamp).toMatch(/^\d{19}$/);
    const skew = BigInt(timestamp) / 1_000_000n - BigInt(Date.now());
    expect(skew < 60_000n && skew > -60_000n).toBe(true);
    expect(Object.keys(record.Fields ?? {})).toEqual(
      expect.arrayContaining(['method', 'path', 'code', 't', 'rid', 'remoteAddressChain']),
    );
  });

  it('answers every request during SIGTERM: 200, then 503 with Retry-After, also once the port is closed; exits 0 with no worker left', async () => {
    // a fresh service, so that its request count covers this load only
    await service.stop();
    service = await startUpstream();
    const workers = service.liveWorkers();
    const load = runLoad({
      port: nginxPort,
      path: '/hello/stop',
      connections: 8,
      durationMs: 8000,
      stop: service.exited,
    });
    await sleep(500);
    process.kill(service.pid, 'SIGTERM');
    const exit = await service.exited;
    const result = await load;

    const stopped = records('server.stopped');
    const received = stopped.reduce((sum, line) => sum + Number(line.Fields?.requests), 0);
    console.info(
      'SIGTERM under load through nginx:',
      JSON.stringify({ ...result, pids: undefined, received }),
    );
    // npm passes on the service's exit status
    expect(exit).toEqual({ code: 0, signal: null });
    expect(records('cluster.stopped')[0]?.Fields).toMatchObject({ clean: true, killed: 0 });
    for (const pid of [service.pid, ...workers]) expect(isAlive(pid)).toBe(false);
    expect(result.failures).toEqual([]);
    expect(result.refused).toBe(0);
    expect(stopped.map((line) => line.Fields?.abandoned)).toEqual([0, 0]);
    // the service answered every request it received; nginx answered the rest with its own 503
    const fromService = (result.statuses[200] ?? 0) + (result.statuses[503] ?? 0);
    expect(received).toBe(fromService - result.unavailableFromProxy);
    expect(Object.keys(result.statuses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(result.statuses).sort()).toEqual(['200', '503']);
    expect(result.unavailableWithoutRetry).toBe(0);
  });

  it('stops the service with its two phases when SIGTERM goes to npm start itself', async () => {
    await service.stop();
    service = await startUpstream();
    const workers = service.liveWorkers();

    // what a process manager does when it runs `npm start`: it signals npm, not the service
    process.kill(service.npmPid, 'SIGTERM');
    await service.exited;
    const stopped = await service.waitFor(
      (line) => line.Type === 'cluster.stopped',
      15_000,
      'cluster.stopped',
    );

    expect(stopped.Fields).toMatchObject({ clean: true, killed: 0 });
    expect(records('server.draining').length).toBeGreaterThan(0);
    for (const pid of [service.pid, ...workers]) expect(isAlive(pid)).toBe(false);
  });
});

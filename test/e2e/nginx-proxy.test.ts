// nginx in front of a two-worker service, with the nginx site the generator writes (or, before
// the generator is built, test/fixtures/nginx-site.conf). Needs nginx (scripts/setup.sh) and
// `npm run build -w services-runtime`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtures,
  freePort,
  get,
  isAlive,
  root,
  runLoad,
  sleep,
  startService,
  stopAll,
  workerPids,
  type ServiceProcess,
} from './serve-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'nginx-proxy-'));
const nginxDir = join(scratch, 'nginx');
let site = '';
let service: ServiceProcess & { port: number };
let nginxPort = 0;
let upstreamPort = 0;

function startUpstream(): Promise<ServiceProcess & { port: number }> {
  return startService({
    config: join(fixtures, 'serve-cluster.ini'),
    env: { PORT: String(upstreamPort) },
  });
}

function nginxInstalled(): boolean {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].some((path) => existsSync(path));
}

/** The generated etc/nginx.conf when the generator is built, else the fixture site. */
function siteFile(): string {
  const bin = join(root, 'dist', 'bin', 'create-services-app.js');
  if (!existsSync(bin)) return join(fixtures, 'nginx-site.conf');
  const project = join(scratch, 'generated');
  execFileSync(process.execPath, [bin, project, '--yes', '--skip-install', '--skip-git'], {
    cwd: scratch,
    stdio: 'ignore',
    timeout: 60_000,
  });
  return join(project, 'etc', 'nginx.conf');
}

function stopNginx(): void {
  const pidFile = join(nginxDir, 'nginx.fg.pid');
  if (existsSync(pidFile))
    execFileSync(join(root, 'scripts', 'stop-by-pid.sh'), [pidFile], { timeout: 15_000 });
}

function serviceLines(type: string) {
  return service.lines.filter((line) => line.Type === type);
}

beforeAll(async () => {
  if (!nginxInstalled()) throw new Error('nginx is not installed: run scripts/setup.sh');
  site = siteFile();
  upstreamPort = await freePort();
  service = await startUpstream();
  nginxPort = await freePort();
  execFileSync(
    join(root, 'scripts', 'start-nginx.sh'),
    [nginxDir, String(nginxPort), String(upstreamPort), site],
    {
      timeout: 15_000,
    },
  );
});

afterAll(async () => {
  try {
    stopNginx();
  } finally {
    await stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('nginx in front of the service', () => {
  it('keeps its upstream keep-alive shorter than the service keepalive_timeout (75 s)', () => {
    const upstream = /upstream\s+\S+\s*\{([^}]*)\}/.exec(readFileSync(site, 'utf8'))?.[1] ?? '';
    const seconds = Number(/keepalive_timeout\s+(\d+)s?;/.exec(upstream)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(75);
  });

  it('passes requests and the heartbeat through to both workers', async () => {
    expect(await get(nginxPort, '/')).toMatchObject({ status: 200, body: 'hello' });
    const heartbeat = await get(nginxPort, '/__heartbeat__');
    expect(heartbeat.status).toBe(200);
    expect(JSON.parse(heartbeat.body)).toMatchObject({ status: 'ok' });

    // nginx reuses one kept-alive upstream connection while it can, so it takes requests in
    // parallel to open a connection to each worker
    const { pids } = await runLoad({
      port: nginxPort,
      path: '/pid',
      connections: 4,
      durationMs: 300,
    });
    expect(pids).toEqual(new Set(workerPids(service.lines)));
  });

  it('logs the real client address, not one the client wrote into X-Forwarded-For', async () => {
    const probe = `probe-${Date.now()}`;
    const answer = await get(nginxPort, `/client?${probe}`, {
      headers: { 'X-Forwarded-For': '203.0.113.66' },
    });
    const access = await service.waitFor(
      (line) => line.Type === 'request.access' && String(line.Fields?.msg).includes(probe),
      5000,
      'the access log line',
    );

    expect(JSON.parse(answer.body)).toEqual({ address: '127.0.0.1' });
    expect(String(access.Fields?.msg)).toMatch(/^127\.0\.0\.1 - /);
    expect(String(access.Fields?.msg)).not.toContain('203.0.113.66');
  });

  it('replaces a killed worker while nginx keeps answering', async () => {
    const listening = serviceLines('cluster.worker.listening').length;
    const [victim] = workerPids(service.lines).filter(isAlive);
    process.kill(victim!, 'SIGKILL');
    await service.waitFor(
      () => serviceLines('cluster.worker.listening').length > listening,
      5000,
      'a replacement worker',
    );

    const statuses = [];
    for (let index = 0; index < 20; index++) statuses.push((await get(nginxPort, '/')).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(
      serviceLines('cluster.worker.exit').find((line) => line.Fields?.pid === victim)?.Fields,
    ).toMatchObject({
      replaced: true,
      signal: 'SIGKILL',
    });
  });

  it('fails no request through nginx when SIGHUP replaces the workers under load', async () => {
    const before = workerPids(service.lines).filter(isAlive);
    const reloaded = service.waitFor(
      (line) => line.Type === 'cluster.reloaded' && !reloadedBefore.includes(line),
      10_000,
      'cluster.reloaded',
    );
    const reloadedBefore = serviceLines('cluster.reloaded');
    const load = runLoad({ port: nginxPort, path: '/pid', connections: 8, durationMs: 4000 });
    await sleep(300);
    process.kill(service.pid, 'SIGHUP');
    await reloaded;
    const result = await load;

    console.info(
      'SIGHUP under load through nginx:',
      JSON.stringify({ ...result, pids: [...result.pids] }),
    );
    expect(result.failures).toEqual([]);
    expect(Object.keys(result.statuses)).toEqual(['200']);
    for (const pid of before) expect(isAlive(pid)).toBe(false);
  });

  it('answers every request through nginx during SIGTERM: 200, then 503 with Retry-After, also once the port is closed', async () => {
    // a fresh service, so that its request count covers this load only
    await service.stop();
    service = await startUpstream();
    const load = runLoad({
      port: nginxPort,
      path: '/',
      connections: 8,
      durationMs: 6000,
      stop: service.exited,
    });
    await sleep(500);
    process.kill(service.pid, 'SIGTERM');
    const exit = await service.exited;
    const result = await load;

    // nginx answers every request: 503 comes from the service in phase 2, and from nginx itself
    // once the service has closed its port; both carry Retry-After. The service answered every
    // request it received.
    const stopped = serviceLines('server.stopped');
    const received = stopped.reduce((sum, line) => sum + Number(line.Fields?.requests), 0);
    console.info(
      'SIGTERM under load through nginx:',
      JSON.stringify({ ...result, pids: undefined, received }),
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(result.refused).toBe(0);
    expect(stopped.map((line) => line.Fields?.abandoned)).toEqual([0, 0]);
    const fromService = (result.statuses[200] ?? 0) + (result.statuses[503] ?? 0);
    expect(received).toBe(fromService - result.unavailableFromProxy);
    expect(Object.keys(result.statuses).sort()).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(result.statuses).sort()).toEqual(['200', '503']);
    expect(result.unavailableWithoutRetry).toBe(0);
  });
});

// serve() with [server] workers = 2: a node:cluster primary and its workers as real processes.
// Needs `npm run build -w services-runtime`.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  count,
  fixtures,
  get,
  isAlive,
  runLoad,
  sleep,
  spawnService,
  startService,
  stopAll,
  workerPids,
  type ServiceProcess,
} from './serve-harness.js';

const clustered = join(fixtures, 'serve-cluster.ini');

afterEach(stopAll);

/** Distinct pids answering `/pid` over `tries` fresh connections. */
async function answeringPids(port: number, tries = 40): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let index = 0; index < tries && pids.size < 2; index++) {
    const answer = await get(port, '/pid');
    pids.add((JSON.parse(answer.body) as { pid: number }).pid);
  }
  return pids;
}

function linesOf(service: ServiceProcess, type: string) {
  return service.lines.filter((line) => line.Type === type);
}

describe('serve() with workers', () => {
  it('answers from two worker processes, neither of which is the primary', async () => {
    const service = await startService({ config: clustered });
    const pids = await answeringPids(service.port);

    expect(pids.size).toBe(2);
    expect(pids.has(service.pid)).toBe(false);
    expect(new Set(workerPids(service.lines))).toEqual(pids);
  });

  it('replaces a worker killed with SIGKILL, after logging its exit', async () => {
    const service = await startService({ config: clustered });
    const [victim, survivor] = workerPids(service.lines);
    process.kill(victim!, 'SIGKILL');

    const exit = await service.waitFor(
      (line) => line.Type === 'cluster.worker.exit' && line.Fields?.pid === victim,
      5000,
      'cluster.worker.exit',
    );
    await service.waitFor(
      () => linesOf(service, 'cluster.worker.listening').length === 3,
      5000,
      'a third worker',
    );

    expect(exit.Fields).toMatchObject({
      signal: 'SIGKILL',
      code: null,
      replaced: true,
      delay_ms: 100,
    });
    const pids = await answeringPids(service.port);
    expect(pids.size).toBe(2);
    expect(pids.has(victim!)).toBe(false);
    expect(pids.has(survivor!)).toBe(true);
  });

  it('replaces a worker that was sent SIGTERM on its own, after its two phases', async () => {
    const service = await startService({ config: clustered });
    const [worker] = workerPids(service.lines);
    process.kill(worker!, 'SIGTERM');

    const exit = await service.waitFor(
      (line) => line.Type === 'cluster.worker.exit' && line.Fields?.pid === worker,
      8000,
      'cluster.worker.exit',
    );
    await service.waitFor(
      () => linesOf(service, 'cluster.worker.listening').length === 3,
      5000,
      'a replacement worker',
    );
    expect(exit.Fields).toMatchObject({ code: 0, signal: null, replaced: true });
    const own = service.lines.filter((line) => line.Pid === worker).map((line) => line.Type);
    expect(own).toEqual(
      expect.arrayContaining(['server.draining', 'server.closing', 'server.stopped']),
    );
    expect((await answeringPids(service.port)).size).toBe(2);
  });

  it('stops with status 1 and names the cause when workers keep failing at start-up', async () => {
    const service = spawnService({ config: clustered, env: { FIXTURE_BROKEN_ROUTES: '1' } });
    const exit = await Promise.race([service.exited, sleep(15_000).then(() => 'still running')]);
    const crashLoop = linesOf(service, 'cluster.crash-loop')[0];
    const failure = linesOf(service, 'server.start.failed').find(
      (line) => line.Pid === service.pid,
    );

    expect(exit).toEqual({ code: 1, signal: null });
    expect(crashLoop?.Fields).toMatchObject({
      startup_failures: 5,
      cause: expect.stringContaining('nowhere'),
    });
    expect(failure?.Fields).toMatchObject({ code: 'SVC_ERR_SERVE_CRASH_LOOP' });
    const exits = linesOf(service, 'cluster.worker.exit');
    expect(exits.length).toBeGreaterThanOrEqual(5);
    for (const pid of exits.map((line) => Number(line.Fields?.pid)))
      expect(isAlive(pid)).toBe(false);
  });

  it('replaces every worker on SIGHUP under load without a failed request', async () => {
    const service = await startService({ config: clustered });
    const before = new Set(workerPids(service.lines));
    const load = runLoad({ port: service.port, path: '/pid', connections: 8, durationMs: 5000 });
    await sleep(500);
    process.kill(service.pid, 'SIGHUP');

    await service.waitFor((line) => line.Type === 'cluster.reloaded', 10_000, 'cluster.reloaded');
    const result = await load;
    const after = await answeringPids(service.port);

    console.info(
      'SIGHUP under load, 2 workers:',
      JSON.stringify({ ...result, pids: [...result.pids] }),
    );
    expect(result.failures).toEqual([]);
    expect(result.refused).toBe(0);
    expect(Object.keys(result.statuses)).toEqual(['200']);
    expect(after.size).toBe(2);
    for (const pid of after) expect(before.has(pid)).toBe(false);
    for (const pid of before) expect(isAlive(pid)).toBe(false);
  });

  it('kills workers that never listen after startup_timeout, then stops as a crash loop', async () => {
    const service = spawnService({
      config: join(fixtures, 'serve-cluster-startup.ini'),
      env: { FIXTURE_HANG_START: '1' },
    });
    const exit = await service.exited;

    expect(exit.code).toBe(1);
    expect(linesOf(service, 'cluster.worker.startup_timeout').length).toBeGreaterThanOrEqual(5);
    expect(String(linesOf(service, 'cluster.crash-loop')[0]?.Fields?.cause)).toContain(
      'did not listen within 1 s',
    );
  }, 60_000);

  it('exits 0 on SIGTERM while a worker is still starting, leaving no worker behind', async () => {
    const service = spawnService({
      config: clustered,
      env: { FIXTURE_SLOW_SECOND_WORKER: '5000' },
    });
    await service.waitFor((line) => line.Type === 'cluster.worker.listening', 15_000);
    process.kill(service.pid, 'SIGTERM');
    const exit = await service.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(linesOf(service, 'cluster.stopped').map((line) => line.Fields?.clean)).toEqual([true]);
    const exits = linesOf(service, 'cluster.worker.exit');
    expect(exits).toHaveLength(2);
    for (const line of exits) expect(isAlive(Number(line.Fields?.pid))).toBe(false);
  });

  it('forwards SIGTERM to the workers, answers every accepted request and exits 0 with no worker left', async () => {
    const service = await startService({ config: clustered });
    const workers = workerPids(service.lines);
    const load = runLoad({
      port: service.port,
      path: '/',
      connections: 8,
      durationMs: 6000,
      stop: service.exited,
    });
    await sleep(500);
    process.kill(service.pid, 'SIGTERM');
    const result = await load;
    const exit = await service.exited;

    const received = linesOf(service, 'server.stopped').reduce(
      (sum, line) => sum + Number(line.Fields?.requests),
      0,
    );
    console.info('SIGTERM under load, 2 workers:', JSON.stringify({ ...result, pids: undefined }));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(linesOf(service, 'server.stopped').map((line) => line.Fields?.abandoned)).toEqual([
      0, 0,
    ]);
    expect(received).toBe(count(result.statuses));
    expect(result.failures.filter((failure) => failure !== 'ECONNRESET')).toEqual([]);
    expect(result.statuses[503]).toBeGreaterThan(0);
    expect(linesOf(service, 'fixture.app-end')).toHaveLength(2);
    for (const pid of workers) expect(isAlive(pid)).toBe(false);
  });
});

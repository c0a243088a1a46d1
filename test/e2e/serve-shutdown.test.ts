// A single service process and its signals: the legacy two-phase shutdown, requests in progress,
// a bounded load during SIGTERM, and start-up errors. Needs `npm run build -w services-runtime`.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  count,
  fixtures,
  get,
  runLoad,
  sleep,
  spawnService,
  startService,
  stopAll,
} from './serve-harness.js';

const single = join(fixtures, 'serve-single.ini');
const noCleanShutdown = join(fixtures, 'serve-no-clean-shutdown.ini');

afterEach(stopAll);

async function statusOf(port: number, path: string): Promise<number | string> {
  try {
    return (await get(port, path)).status;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

describe('serve() in one process', () => {
  it('runs the legacy shutdown vector on SIGTERM: 503 heartbeat, then 503 for all, exit 0, app-end once', async () => {
    const service = await startService({ config: single });
    const signalled = Date.now();
    process.kill(service.pid, 'SIGTERM');

    await sleep(200 - (Date.now() - signalled));
    const early = await Promise.all([
      statusOf(service.port, '/__heartbeat__'),
      statusOf(service.port, '/'),
    ]);
    await sleep(1200 - (Date.now() - signalled));
    const late = await Promise.all([
      statusOf(service.port, '/__heartbeat__'),
      statusOf(service.port, '/'),
    ]);
    const exit = await service.exited;

    expect(early).toEqual([503, 200]);
    expect(late).toEqual([503, 503]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service.lines.filter((line) => line.Type === 'fixture.app-end')).toHaveLength(1);
    const types = service.lines.map((line) => line.Type);
    expect(types.indexOf('server.draining')).toBeLessThan(types.indexOf('server.closing'));
    expect(types.indexOf('server.closing')).toBeLessThan(types.indexOf('server.stopped'));
  });

  it('installs no handler with clean_shutdown = false: SIGTERM ends the process at once, no app-end', async () => {
    const service = await startService({ config: noCleanShutdown });
    expect(await statusOf(service.port, '/')).toBe(200);
    const signalled = Date.now();
    process.kill(service.pid, 'SIGTERM');
    const exit = await service.exited;

    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - signalled).toBeLessThan(1000);
    expect(service.lines.some((line) => line.Type === 'fixture.app-end')).toBe(false);
    expect(service.lines.some((line) => line.Type === 'server.draining')).toBe(false);
  });

  it('answers a slow request that started before SIGTERM, even past both phases', async () => {
    const service = await startService({ config: single });
    const slow = get(service.port, '/slow?ms=2500');
    await sleep(100);
    process.kill(service.pid, 'SIGTERM');

    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, body: 'slow' });
    expect(answer.headers.connection).toBe('close');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.find((line) => line.Type === 'server.stopped')?.Fields).toMatchObject({
      abandoned: 0,
    });
  });

  it('answers every request it accepted when SIGTERM arrives under a keep-alive load', async () => {
    const service = await startService({ config: single });
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
    const stopped = service.lines.find((line) => line.Type === 'server.stopped')?.Fields;

    // 503s are phase 2 by design. A client that keeps connecting after the heartbeat failed is
    // refused once the port closes, and a connection the kernel queued in the instant the port
    // closed is reset: the process never received those requests, which the server-side count
    // proves (every request it received is one the client got an answer to)
    console.info(
      'SIGTERM under load, one process:',
      JSON.stringify({ ...result, pids: undefined }),
    );
    expect(stopped).toEqual({ abandoned: 0, requests: count(result.statuses) });
    expect(result.failures.filter((failure) => failure !== 'ECONNRESET')).toEqual([]);
    expect(result.failures.length).toBeLessThanOrEqual(8);
    expect(result.statuses[200]).toBeGreaterThan(100);
    expect(result.statuses[503]).toBeGreaterThan(0);
    expect(count(result.statuses)).toBe((result.statuses[200] ?? 0) + (result.statuses[503] ?? 0));
    expect(await service.exited).toEqual({ code: 0, signal: null });
  });

  it('logs and ignores SIGHUP: a single process has no worker to swap in', async () => {
    const service = await startService({ config: single });
    process.kill(service.pid, 'SIGHUP');
    await service.waitFor(
      (line) => line.Type === 'server.reload.unsupported',
      5000,
      'server.reload.unsupported',
    );
    expect(await statusOf(service.port, '/')).toBe(200);
  });

  it('ends with status 1 and the cause when the app cannot start', async () => {
    const service = spawnService({ config: single, env: { FIXTURE_BROKEN_ROUTES: '1' } });
    const exit = await service.exited;
    const failure = service.lines.find((line) => line.Type === 'server.start.failed');

    expect(exit).toEqual({ code: 1, signal: null });
    expect(String(failure?.Fields?.message)).toContain('nowhere');
    expect(service.lines.some((line) => line.Type === 'server.listening')).toBe(false);
  });
});

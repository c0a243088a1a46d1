import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadAverage } from './machine.js';
import { measure } from './load.js';
import { startServer } from './server-process.js';
import { summariseProfile } from './cpu-profile.js';
import { settings } from './settings.js';
import { workRoot } from './service-fixture.js';

/** Starts a server, runs `step(server)` and always stops it. */
export async function withServer(options, step) {
  const server = await startServer(options);
  try {
    return await step(server);
  } finally {
    await server.stop();
  }
}

/** One load measurement of one server, labelled for the measurements table. */
export async function loadServer(label, options, path, load = {}) {
  const result = await withServer(options, (server) =>
    measure(server.url + path, { ...load, pid: server.pid }),
  );
  return { label, ...result, ...cpuFigures(result), loadAverage: loadAverage() };
}

/**
 * The server's share of one core over the run (100 % = one core busy) and its CPU time per
 * answered request. The second stays meaningful when the load generator, not the server, is the
 * bottleneck, which a throughput ratio alone would hide.
 */
function cpuFigures(result) {
  if (result.cpuSeconds === undefined || result.total === 0) return {};
  return {
    cpuPercent: (100 * result.cpuSeconds) / result.seconds,
    cpuMicrosPerRequest: (1e6 * result.cpuSeconds) / result.total,
  };
}

let profileCount = 0;

/**
 * Runs the same load once more with the server under `--cpu-prof` and returns the top self-time
 * functions. The profiled run is never used for a ratio: profiling slows the server.
 */
export async function profileServer(label, options, path, load = {}) {
  profileCount += 1;
  const dir = join(workRoot, 'profiles', `${String(profileCount).padStart(2, '0')}-${slug(label)}`);
  rmSync(dir, { recursive: true, force: true });
  const result = await withServer({ ...options, profileDir: dir }, (server) =>
    measure(server.url + path, load),
  );
  const requests = result.total + result.warmupTotal;
  return {
    label,
    dir,
    requests,
    requestsPerSecond: result.requestsPerSecond,
    ...summariseProfile(dir),
  };
}

/** Whether a ratio is poor enough to profile, by the BENCH_PROFILE policy. */
export function shouldProfile(ratio, threshold) {
  if (settings.profile === 'never') return false;
  if (settings.profile === 'always') return true;
  return ratio < threshold;
}

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

import { get } from 'node:http';
import autocannon from 'autocannon';
import { treeCpuSeconds } from './process-cpu.js';
import { settings } from './settings.js';

/**
 * Loads `url` for a warm-up that is thrown away, then for the measured `seconds`, and returns
 * what the tables need. `requests` (autocannon's sequence) lets one connection alternate between
 * several requests; `headers` apply to all of them; `warmupConnections` replaces `connections`
 * for the warm-up, so that a slow endpoint's abandoned warm-up requests do not spill far into
 * the measurement. With `pid`, the server's CPU time over the
 * measured run is read too (see treeCpuSeconds).
 */
export async function measure(url, options = {}) {
  const base = {
    url,
    connections: options.connections ?? settings.connections,
    headers: options.headers,
    requests: options.requests,
    pipelining: 1,
  };
  // one request first, so a login cache is filled before concurrent misses pile up behind scrypt
  await requestOnce(url, options.headers);
  const warmup = await run({
    ...base,
    connections: options.warmupConnections ?? base.connections,
    duration: options.warmupSeconds ?? settings.warmupSeconds,
  });
  const cpuBefore = options.pid === undefined ? undefined : treeCpuSeconds(options.pid);
  const result = await run({ ...base, duration: options.seconds ?? settings.seconds });
  const cpuAfter = options.pid === undefined ? undefined : treeCpuSeconds(options.pid);
  const cpuSeconds =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { ...summarise(result), cpuSeconds, warmupTotal: warmup.requests.total + 1 };
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function summarise(result) {
  const statusCounts = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[code] = stats.count;
  }
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    // with no answered request autocannon reports 0 ms; that is no latency, not a fast one
    mean: answered(result, result.latency.mean),
    p50: answered(result, result.latency.p50),
    p90: answered(result, result.latency.p90),
    p99: answered(result, result.latency.p99),
    max: answered(result, result.latency.max),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
    seconds: result.duration,
  };
}

function answered(result, value) {
  return result.requests.total > 0 ? value : Number.NaN;
}

function requestOnce(url, headers = {}) {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (response) => {
      response.resume();
      response.once('end', resolve);
    }).once('error', reject);
  });
}

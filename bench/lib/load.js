import autocannon from 'autocannon';
import { settings } from './settings.js';

/**
 * Loads `url` for a warm-up that is thrown away, then for the measured `seconds`, and returns
 * what the tables need. `requests` (autocannon's sequence) lets one connection alternate between
 * several requests; `headers` apply to all of them.
 */
export async function measure(url, options = {}) {
  const base = {
    url,
    connections: options.connections ?? settings.connections,
    headers: options.headers,
    requests: options.requests,
    pipelining: 1,
  };
  await run({ ...base, duration: options.warmupSeconds ?? settings.warmupSeconds });
  const result = await run({ ...base, duration: options.seconds ?? settings.seconds });
  return summarise(result);
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
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
    seconds: result.duration,
  };
}

import { performance } from 'node:perf_hooks';
import { hashPassword, verifyPassword } from 'services-runtime';
import { describeService } from './full-stack.js';
import { loadServer, profileServer, shouldProfile } from './lib/measure-server.js';
import { cpuRatio, ratio } from './lib/ratios.js';
import {
  basicAuthorization,
  benchConfig,
  freshSqliteUsers,
  prepareService,
  serverOptions,
} from './lib/service-fixture.js';

/**
 * 2. An authenticated route (HTTP Basic, SQL backend on a SQLite file) with the login cache on
 * and off, against the same action on a route without auth in the same service.
 */
export async function authenticatedRoute() {
  const service = await prepareService({ auth: 'sql' });
  const env = await freshSqliteUsers(service);
  const headers = { authorization: basicAuthorization() };
  // the generated table has no open twin of /whoami; its hello route is the closest
  const openPath = service.source === 'generated' ? '/hello/bench' : '/open';

  // 1. the same server config for the open route and the cached one
  const cached = serverOptions(service, benchConfig(service, 'cache-on', { cacheTtl: 60 }), env);
  const uncached = serverOptions(service, benchConfig(service, 'cache-off', { cacheTtl: 0 }), env);
  const open = await loadServer(`no auth (${openPath})`, cached, openPath);
  const hit = await loadServer('auth, cache_ttl = 60', cached, '/whoami', { headers });
  // a one-connection warm-up: twenty abandoned scrypt checks would still run after it
  const slow = { headers, warmupConnections: 1 };
  const miss = await loadServer('auth, cache_ttl = 0', uncached, '/whoami', slow);

  // 2. ratios; a profile when a login without the cache costs most of the throughput
  const ratios = [
    ratio(
      'auth cached / no auth',
      'req/s',
      open.requestsPerSecond,
      hit.requestsPerSecond,
      'higher',
    ),
    ratio(
      'auth uncached / no auth',
      'req/s',
      open.requestsPerSecond,
      miss.requestsPerSecond,
      'higher',
    ),
    ratio('auth uncached / no auth', 'p99 ms', open.p99, miss.p99, 'lower'),
    ...cpuRatio('auth cached / no auth', open, hit),
    ...cpuRatio('auth uncached / no auth', open, miss),
  ];
  const profiles = [];
  if (shouldProfile(ratios[1].ratio, 0.25)) {
    profiles.push(await profileServer('auth, cache_ttl = 0', uncached, '/whoami', slow));
  }
  if (shouldProfile(ratios[0].ratio, 0.5)) {
    profiles.push(await profileServer('auth, cache_ttl = 60', cached, '/whoami', { headers }));
  }
  const verify = await timeVerify();
  return {
    title: '2. Authenticated route (sql backend, SQLite file) against no auth',
    setup: describeService(service, 'GET /whoami with HTTP Basic; one user in a SQLite file'),
    measurements: [open, hit, miss],
    extraTable: [verify],
    notes: [
      `Without the cache every request pays one scrypt check (${verify['median of 5, one at a time']} here, ` +
        `at most ${verify['logins/s at most, 8 at once']} per second with 8 at once). crypto.scrypt runs on ` +
        "libuv's thread pool, so a profile of the event loop shows it mostly idle: the cost is the hash, not the runtime's code.",
    ],
    ratios,
    profiles,
  };
}

/**
 * What one login costs without the cache: the runtime's own verifyPassword on a hash it made,
 * timed in this process, one at a time and eight at once (crypto.scrypt runs on libuv's thread
 * pool, four threads by default, so concurrent logins queue there, not on the event loop).
 */
async function timeVerify(rounds = 5) {
  const stored = await hashPassword('bench-password-correct-horse');
  const one = [];
  for (let index = 0; index < rounds; index += 1) {
    const started = performance.now();
    await verifyPassword('bench-password-correct-horse', stored);
    one.push(performance.now() - started);
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => verifyPassword('wrong', stored)));
  const eight = performance.now() - started;
  one.sort((left, right) => left - right);
  return {
    'password check': `verifyPassword, ${stored.slice(0, stored.indexOf('$', 8))}`,
    'median of 5, one at a time': `${one[Math.floor(rounds / 2)].toFixed(0)} ms`,
    '8 at once, wall time': `${eight.toFixed(0)} ms`,
    'logins/s at most, 8 at once': (8000 / eight).toFixed(1),
  };
}

import { describeService } from './full-stack.js';
import { loadServer, profileServer, shouldProfile } from './lib/measure-server.js';
import { ratio } from './lib/ratios.js';
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
  const miss = await loadServer('auth, cache_ttl = 0', uncached, '/whoami', { headers });

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
  ];
  const profiles = [];
  if (shouldProfile(ratios[1].ratio, 0.25)) {
    profiles.push(await profileServer('auth, cache_ttl = 0', uncached, '/whoami', { headers }));
  }
  if (shouldProfile(ratios[0].ratio, 0.5)) {
    profiles.push(await profileServer('auth, cache_ttl = 60', cached, '/whoami', { headers }));
  }
  return {
    title: '2. Authenticated route (sql backend, SQLite file) against no auth',
    setup: describeService(service, 'GET /whoami with HTTP Basic; one user in a SQLite file'),
    measurements: [open, hit, miss],
    ratios,
    profiles,
  };
}

import { describeService } from './full-stack.js';
import { loadServer, profileServer, shouldProfile } from './lib/measure-server.js';
import { cpuRatio, ratio } from './lib/ratios.js';
import { benchConfig, prepareService, serverOptions } from './lib/service-fixture.js';

/**
 * 4. Latency with 10 routes against 1,000. The extra routes go after the generated one, as the
 * controller generator adds them, and the request hits the last of them: the router tries the
 * routes in order, so that is the slowest match. The in-repo service is used because it can be
 * given any number of routes.
 */
export async function routeCount() {
  const service = await prepareService({ auth: 'none', preferGenerated: false });
  const config = benchConfig(service, 'routes', {});
  const few = await loadServer('10 routes, last one', withRoutes(service, config, 9), '/r9/bench');
  const manyOptions = withRoutes(service, config, 999);
  const many = await loadServer('1,000 routes, last one', manyOptions, '/r999/bench');
  const first = await loadServer('1,000 routes, first one', manyOptions, '/hello/bench');

  const ratios = [
    ratio('1,000 / 10 routes', 'mean ms', few.mean, many.mean, 'lower'),
    ratio('1,000 / 10 routes', 'p50 ms', few.p50, many.p50, 'lower'),
    ratio('1,000 / 10 routes', 'p99 ms', few.p99, many.p99, 'lower'),
    ratio('1,000 / 10 routes', 'req/s', few.requestsPerSecond, many.requestsPerSecond, 'higher'),
    ...cpuRatio('1,000 / 10 routes', few, many),
  ];
  const profiles = [];
  if (shouldProfile(ratios[3].ratio, 0.5)) {
    profiles.push(await profileServer('1,000 routes, last one', manyOptions, '/r999/bench'));
  }
  return {
    title: '4. Latency with 10 routes against 1,000',
    setup: describeService(service, 'GET /rN/bench, the last route of the table'),
    measurements: [few, many, first],
    ratios,
    profiles,
  };
}

function withRoutes(service, config, extra) {
  return serverOptions(service, config, { BENCH_EXTRA_ROUTES: String(extra) });
}

import { cpus } from 'node:os';
import { describeService } from './full-stack.js';
import { loadServer } from './lib/measure-server.js';
import { cpuRatio, ratio } from './lib/ratios.js';
import { benchConfig, prepareService, serverOptions } from './lib/service-fixture.js';

const path = '/hello/bench';

/** 3. `[server] workers = 1` against `workers = 2` (a node:cluster primary and two workers). */
export async function workerCount() {
  const service = await prepareService({ auth: 'none' });
  const one = serverOptions(service, benchConfig(service, 'workers-1', { workers: 1 }));
  const two = serverOptions(service, benchConfig(service, 'workers-2', { workers: 2 }));
  const single = await loadServer('workers = 1', one, path);
  const pair = await loadServer('workers = 2', two, path);

  return {
    title: '3. One worker against two',
    setup: `${describeService(service, `GET ${path}`)}. The load generator runs on the same ${cpus().length} cores.`,
    measurements: [single, pair],
    ratios: [
      ratio('2 workers / 1', 'req/s', single.requestsPerSecond, pair.requestsPerSecond, 'higher'),
      ratio('2 workers / 1', 'p99 ms', single.p99, pair.p99, 'lower'),
      ...cpuRatio('2 workers / 1', single, pair),
    ],
    profiles: [],
  };
}

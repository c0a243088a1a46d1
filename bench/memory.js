import { setTimeout as sleep } from 'node:timers/promises';
import { bareKoaOptions, describeService } from './full-stack.js';
import { loadAverage } from './lib/machine.js';
import { measure } from './lib/load.js';
import { withServer } from './lib/measure-server.js';
import { ratio } from './lib/ratios.js';
import { benchConfig, prepareService, serverOptions } from './lib/service-fixture.js';

const path = '/hello/bench';
const mib = (bytes) => bytes / 2 ** 20;

/**
 * 5. Memory of one worker, idle (1 s after it answers) and right after a load run, read inside
 * the process with process.memoryUsage(); "after GC" repeats the reading after a full collection,
 * which tells retained memory from garbage not yet collected. Bare Koa idle is the reference.
 */
export async function memory() {
  const service = await prepareService({ auth: 'none' });
  const options = {
    ...serverOptions(service, benchConfig(service, 'memory', {})),
    nodeArgs: ['--expose-gc'],
  };
  const bare = await withServer(
    { ...bareKoaOptions(service.name), nodeArgs: ['--expose-gc'] },
    idle,
  );
  const worker = await withServer(options, async (server) => {
    const before = await idle(server);
    const load = await measure(server.url + path);
    const after = await server.memory();
    const afterGc = await server.memory({ gc: true });
    return { before, load, after, afterGc };
  });

  const rows = [
    memoryRow('bare Koa, idle', bare),
    memoryRow('service, idle', worker.before),
    memoryRow('service, after load', worker.after),
    memoryRow('service, after load + GC', worker.afterGc),
  ];
  return {
    title: '5. Memory of one worker, idle and after load',
    setup: `${describeService(service, `GET ${path}`)}; load: ${Math.round(worker.load.requestsPerSecond)} req/s`,
    measurements: [],
    extraTable: rows,
    ratios: [
      ratio(
        'service idle / bare Koa idle',
        'RSS MiB',
        mib(bare.rss),
        mib(worker.before.rss),
        'lower',
      ),
      ratio('after load / idle', 'RSS MiB', mib(worker.before.rss), mib(worker.after.rss), 'lower'),
      ratio(
        'after load / idle',
        'heap used MiB',
        mib(worker.before.heapUsed),
        mib(worker.after.heapUsed),
        'lower',
      ),
      ratio(
        'after load + GC / idle',
        'heap used MiB',
        mib(worker.before.heapUsed),
        mib(worker.afterGc.heapUsed),
        'lower',
      ),
    ],
    profiles: [],
  };
}

async function idle(server) {
  await sleep(1000);
  return server.memory();
}

function memoryRow(label, usage) {
  return {
    state: label,
    'RSS MiB': mib(usage.rss).toFixed(1),
    'heap used MiB': mib(usage.heapUsed).toFixed(1),
    'heap total MiB': mib(usage.heapTotal).toFixed(1),
    'external MiB': mib(usage.external).toFixed(1),
    'load avg': loadAverage(),
  };
}

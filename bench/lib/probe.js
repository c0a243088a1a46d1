// Loaded with --import into every benchmarked server. It answers the bench process's memory
// questions over the IPC channel and lets it end the process with process.exit, which is what
// makes --cpu-prof write its profile. Cluster workers talk to their primary, not to the bench
// process, so the probe stays out of their way.
import cluster from 'node:cluster';
import process from 'node:process';

if (process.send && !cluster.isWorker) {
  process.on('message', (message) => {
    if (message?.type === 'bench:memory') {
      if (message.gc) globalThis.gc?.();
      process.send({ type: 'bench:memory', id: message.id, usage: process.memoryUsage() });
    } else if (message?.type === 'bench:exit') {
      process.exit(0);
    }
  });
  // the channel must not keep a server alive that wants to exit on its own
  process.channel?.unref();
}

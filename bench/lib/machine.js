import process from 'node:process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine the numbers were measured on, for the report header. */
export function describeMachine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memory: `${gib(totalmem())} GiB (${gib(freemem())} GiB free at start)`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** The 1, 5 and 15 minute load averages, printed next to each benchmark. */
export function loadAverage() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function gib(bytes) {
  return (bytes / 2 ** 30).toFixed(1);
}

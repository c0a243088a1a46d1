import { clearTimeout, setTimeout } from 'node:timers';
import process from 'node:process';
import { spawn } from 'node:child_process';

// Every process the benchmarks start, so that an interrupted run leaves none behind.
const running = new Set();

/** Spawns a child process and remembers it until it exits. */
export function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Resolves when the child has exited, with its exit code (or the signal that stopped it). */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? child.signalCode);
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

/** Sends SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited(child);
  } finally {
    clearTimeout(timer);
  }
}

function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

// an interrupted benchmark stops its servers before going
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.once('exit', killAll);

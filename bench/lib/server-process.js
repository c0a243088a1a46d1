import { clearTimeout, setTimeout } from 'node:timers';
import process from 'node:process';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import { exited, spawnTracked, stopChild } from './children.js';
import { freePort } from './free-port.js';

const probe = new URL('./probe.js', import.meta.url).href;

/**
 * Starts a server in its own process, so that it never shares an event loop with the load
 * generator, and resolves once `readyPath` answers on 127.0.0.1. The port comes in `PORT` (the
 * generated config reads `${PORT:-...}`), the host in `HOST`. Standard output goes nowhere: an
 * access log written to a pipe would cost the bench process CPU too.
 *
 * `profileDir` runs the server under `--cpu-prof`; the profile is written when `stop()` ends it.
 */
export async function startServer({
  script,
  args = [],
  cwd,
  env = {},
  readyPath = '/__lbheartbeat__',
  profileDir,
  nodeArgs = [],
  readyTimeoutMs = 30_000,
}) {
  const port = await freePort();
  const flags = [...nodeArgs, '--import', probe];
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    flags.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  }
  const child = spawnTracked(process.execPath, [...flags, script, ...args], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderr = collectTail(child.stderr);

  try {
    const command = `cd ${cwd ?? process.cwd()} && PORT=${port} node ${[script, ...args].join(' ')}`;
    await waitUntilAnswering(child, port, readyPath, readyTimeoutMs, stderr, command);
  } catch (error) {
    await stopChild(child, 2000);
    throw error;
  }
  return {
    port,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    memory: (options) => askMemory(child, options),
    stop: () => stopServerProcess(child),
    stderr: () => stderr.text(),
  };
}

/** Ends the server: `process.exit` through the probe (so profiles are written), else signals. */
async function stopServerProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'bench:exit' });
  const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
  try {
    await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 6000))]);
  } finally {
    clearTimeout(timer);
  }
  await stopChild(child, 10_000);
}

async function waitUntilAnswering(child, port, path, timeoutMs, stderr, command) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `server exited (${child.exitCode ?? child.signalCode}); its standard output is not kept, ` +
          `run it by hand to read its log: ${command}\n${stderr.text()}`,
      );
    }
    if (await answers(port, path)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer ${path} within ${timeoutMs} ms:\n${stderr.text()}`);
}

function answers(port, path) {
  return new Promise((resolve) => {
    const probeRequest = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode < 500);
    });
    probeRequest.setTimeout(1000, () => probeRequest.destroy());
    probeRequest.once('error', () => resolve(false));
    probeRequest.end();
  });
}

let nextQuestion = 1;

function askMemory(child, { gc = false } = {}) {
  const id = nextQuestion++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no memory answer from the server')), 5000);
    const onMessage = (message) => {
      if (message?.type !== 'bench:memory' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.usage);
    };
    child.on('message', onMessage);
    child.send({ type: 'bench:memory', id, gc });
  });
}

// the last few kilobytes of standard error, to explain a server that would not start
function collectTail(stream) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text = (text + chunk).slice(-4000);
  });
  return { text: () => text };
}

export const benchRoot = fileURLToPath(new URL('..', import.meta.url));

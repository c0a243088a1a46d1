// `--offline` and a registry that cannot be reached. All of npm's traffic goes through a loopback
// "proxy" that counts connections and answers none, so every registry access fails. The
// registry URL itself is left alone on purpose: npm keys its cache by the full URL, and a cache
// warmed from registry.npmjs.org would hold nothing for any other address.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, generateProject, scratchFolder } from './support/generated-project.js';

const scratch = scratchFolder('csa-offline-');

interface DeadProxy {
  url: string;
  /** Connections npm opened so far, that is, attempts to reach the registry. */
  connections: () => number;
  /** Resolves once every connection accepted so far has closed. */
  allClosed: () => Promise<void>;
  close: () => Promise<void>;
}

/** A loopback proxy that refuses service: it resets each connection, or holds it silently. */
async function startDeadProxy(mode: 'reset' | 'hang'): Promise<DeadProxy> {
  const sockets = new Set<Socket>();
  const closed: Promise<void>[] = [];
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.on('error', () => undefined);
    if (mode === 'reset') socket.resetAndDestroy();
    // read and drop what npm sends, so that its end of the connection closing is noticed
    else socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => count,
    allClosed: async () => void (await Promise.all(closed)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The environment of a run whose registry traffic all goes to `proxy`. */
function throughProxy(proxy: DeadProxy, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  for (const key of Object.keys(env)) {
    if (/^(https?_proxy|no_proxy|npm_config_(https_)?proxy|npm_config_noproxy)$/i.test(key)) {
      delete env[key];
    }
  }
  return {
    ...env,
    npm_config_proxy: proxy.url,
    npm_config_https_proxy: proxy.url,
    // a refused attempt fails at once instead of waiting out npm's back-off between retries
    npm_config_fetch_retries: '0',
    // without --offline, ask the registry however fresh the cached entries are; --offline wins
    npm_config_prefer_online: 'true',
    ...extra,
  };
}

/**
 * Runs the bin without blocking: the proxy lives in this process, and a synchronous spawn would
 * leave npm's connections waiting, uncounted, in the listen queue.
 */
async function generate(
  name: string,
  flags: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [bin, name, '--yes', '--skip-git', ...flags], {
    cwd: scratch.path,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { status, output };
}

let proxy: DeadProxy;

beforeAll(async () => {
  // the same project installed once from the live registry: everything --offline needs is cached
  generateProject(scratch.path, 'warm-svc', []);
  proxy = await startDeadProxy('reset');
}, 300_000);

afterAll(async () => {
  await proxy?.close();
  scratch.remove();
});

describe('installing without the registry', () => {
  it('--offline installs from the warm cache without opening a connection', async () => {
    const run = await generate('offline-svc', ['--offline'], throughProxy(proxy));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('npm install --no-audit --no-fund --loglevel=http --offline');
    expect(run.output).toContain('Installed dependencies');
    expect(proxy.connections()).toBe(0);
    expect(existsSync(join(scratch.path, 'offline-svc/node_modules/services-runtime'))).toBe(true);
  }, 300_000);

  it('without --offline the same run goes to the registry', async () => {
    const before = proxy.connections();
    await generate('online-svc', [], throughProxy(proxy));
    expect(proxy.connections()).toBeGreaterThan(before);
  }, 300_000);

  it('a failed install keeps the files and prints the cause and the command to run again', async () => {
    const emptyCache = join(scratch.path, 'empty-cache');
    mkdirSync(emptyCache);
    const before = proxy.connections();
    const run = await generate(
      'cold-svc',
      ['--offline'],
      throughProxy(proxy, { npm_config_cache: emptyCache }),
    );

    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain('GEN_ERR_INSTALL_FAILED');
    expect(run.output).toContain('ENOTCACHED');
    expect(run.output).toContain('install with: cd cold-svc && npm install');
    expect(proxy.connections()).toBe(before);
    // the files are in place for that command; no staging folder is left beside them
    expect(readdirSync(join(scratch.path, 'cold-svc'))).toContain('package.json');
    expect(readdirSync(scratch.path).filter((entry) => entry.includes('.creating-'))).toEqual([]);
  }, 300_000);

  it('SIGTERM during the install stops npm and leaves no folder behind', async () => {
    const silent = await startDeadProxy('hang');
    const emptyCache = join(scratch.path, 'empty-cache-term');
    mkdirSync(emptyCache);
    const child = spawn(process.execPath, [bin, 'term-svc', '--yes', '--skip-git'], {
      cwd: scratch.path,
      env: throughProxy(silent, { npm_config_cache: emptyCache }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // npm has reached the registry (the silent proxy): the install is under way
      for (let waited = 0; silent.connections() === 0; waited += 100) {
        if (waited > 60_000) throw new Error(`npm never connected:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(readdirSync(scratch.path)).toContain(`.term-svc.creating-${child.pid}`);

      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(output).toContain('GEN_ERR_INTERRUPTED');
      // npm's connections close when npm ends
      await silent.allClosed();
      expect(readdirSync(scratch.path).filter((entry) => entry.includes('term-svc'))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await silent.close();
    }
  }, 120_000);
});

import { Buffer } from 'node:buffer';
import process from 'node:process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadBackend, loadConfig, silentLogger } from 'services-runtime';
import { benchRoot } from './server-process.js';
import { benchOverlay, generatedServiceIni } from './service-config.js';

const run = promisify(execFile);

export const repositoryRoot = resolve(benchRoot, '..');
export const workRoot = join(repositoryRoot, '.tmp', 'bench');
export const generatorBin = join(repositoryRoot, 'dist', 'bin', 'create-services-app.js');
const inRepoMain = join(benchRoot, 'servers', 'service-main.js');

const generatedThisRun = new Set();

export const benchUser = { username: 'bench-user', password: 'bench-password-correct-horse' };

/**
 * A service to benchmark. With the built bin, a real one: generated with `--yes --skip-git`,
 * installed by the generator, built with its own `npm run build` and started as `node
 * dist/main.js`. Without the bin, or when any of that fails, the in-repo stand-in
 * (bench/servers/service-main.js) with the same config, routes and controllers. `source` says
 * which, and `fallbackReason` why.
 */
export async function prepareService({ auth = 'none', preferGenerated = true } = {}) {
  const name = `bench-${auth}`;
  let fallbackReason = 'chosen by the benchmark, which needs its own route table';
  if (preferGenerated) {
    try {
      return await generatedService(name, auth);
    } catch (error) {
      fallbackReason = firstLine(error);
    }
  }
  return { ...inRepoService(name, auth), fallbackReason };
}

async function generatedService(name, auth) {
  if (!existsSync(generatorBin)) throw new Error(`${relativeToRepo(generatorBin)} is not built`);
  const dir = join(workRoot, 'generated', name);
  const main = join(dir, 'dist', 'main.js');

  // generated afresh once per run, so that the numbers are the current generator's; a few
  // seconds with a warm npm cache. BENCH_REUSE_SERVICES=1 keeps the one from an earlier run.
  const reuse = generatedThisRun.has(name) || process.env.BENCH_REUSE_SERVICES === '1';
  if (!reuse || !existsSync(main)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(workRoot, 'generated'), { recursive: true });
    const flags = ['--yes', '--skip-git', '--auth', auth];
    if (auth === 'sql') flags.push('--database', 'sqlite');
    await run(process.execPath, [generatorBin, dir, ...flags], { timeout: 300_000 });
    await run('npm', ['run', 'build'], { cwd: dir, timeout: 120_000 });
  }
  if (!existsSync(main)) throw new Error('the generated service has no dist/main.js after build');
  generatedThisRun.add(name);
  return {
    source: 'generated',
    name,
    dir,
    script: main,
    serviceIni: join(dir, 'etc', `${name}.ini`),
    extraEnv: {},
  };
}

function inRepoService(name, auth) {
  const dir = join(workRoot, 'in-repo', name);
  mkdirSync(join(dir, 'etc'), { recursive: true });
  const serviceIni = join(dir, 'etc', `${name}.ini`);
  writeFileSync(serviceIni, generatedServiceIni({ name, auth }));
  return {
    source: 'in-repo',
    name,
    dir,
    script: inRepoMain,
    serviceIni,
    extraEnv: { BENCH_AUTH: auth === 'none' ? '0' : '1' },
  };
}

/** Writes a bench config extending the service's and returns its path and the start options. */
export function benchConfig(service, label, overlay) {
  const file = join(service.dir, 'etc', `bench-${label}.ini`);
  writeFileSync(file, benchOverlay({ extendsFile: `${service.name}.ini`, ...overlay }));
  return file;
}

/** The options `startServer` needs to run `service` with `configFile`. */
export function serverOptions(service, configFile, env = {}) {
  return {
    script: service.script,
    args: ['--config', configFile],
    cwd: service.dir,
    env: { ...service.extraEnv, ...env },
  };
}

/**
 * Points the service at a fresh SQLite file (through `SQLURI`, which the generated config reads)
 * and creates the bench user in it with the runtime's own backend, as `users add` would.
 */
export async function freshSqliteUsers(service) {
  const file = join(service.dir, `${service.name}-bench.db`);
  rmSync(file, { force: true });
  const env = { SQLURI: `sqlite://${file}` };
  const config = loadConfig(service.serviceIni, { env: { ...process.env, ...env } });
  const backend = await loadBackend(config, { logger: silentLogger });
  try {
    await backend.create(benchUser.username, benchUser.password);
  } finally {
    await backend.close();
  }
  return env;
}

/** `Authorization` for the bench user, or for it with a wrong password. */
export function basicAuthorization(password = benchUser.password) {
  const token = Buffer.from(`${benchUser.username}:${password}`).toString('base64');
  return `Basic ${token}`;
}

export function relativeToRepo(path) {
  return path.startsWith(repositoryRoot) ? path.slice(repositoryRoot.length + 1) : path;
}

function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0];
}

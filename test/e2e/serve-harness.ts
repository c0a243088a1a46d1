// Helpers for the serving tests: start the fixture service as a real process, read its mozlog
// lines, put a bounded keep-alive load on it, and make sure every process started is stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const fixtures = join(root, 'test', 'fixtures');
const runtimeEntry = join(root, 'runtime', 'dist', 'index.js');

/** One parsed output line: a mozlog record, or `{ raw }` for anything else. */
export interface LogLine {
  Type?: string;
  Pid?: number;
  Severity?: number;
  Fields?: Record<string, unknown>;
  raw?: string;
}

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  lines: LogLine[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (already seen or to come) that matches, or rejects at the timeout. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  /** Kills the process and every worker it logged, by pid, if still alive. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: string;
  env?: Record<string, string>;
  script?: string;
}

const started = new Set<ServiceProcess>();

/** Starts `node <script> --config <config>` and resolves once it logs `server.listening`. */
export async function startService(
  options: StartOptions,
): Promise<ServiceProcess & { port: number }> {
  const service = spawnService(options);
  try {
    const listening = await service.waitFor(
      // in a cluster, each worker logs its own; the primary's line comes once all of them listen
      (line) => line.Type === 'server.listening' && line.Pid === service.pid,
      15_000,
      'server.listening',
    );
    return Object.assign(service, { port: Number(listening.Fields?.port) });
  } catch (error) {
    await service.stop();
    throw new Error(
      `${(error as Error).message}\nstderr:\n${service.stderr()}\nstdout:\n${JSON.stringify(service.lines)}`,
    );
  }
}

/** Starts the fixture without waiting for it to listen (for start-up failures). */
export function spawnService(options: StartOptions): ServiceProcess {
  if (!existsSync(runtimeEntry)) {
    throw new Error('runtime/dist is missing: run `npm run build -w services-runtime` first');
  }
  const script = options.script ?? join(fixtures, 'serve-service.js');
  const child = spawn(process.execPath, [script, '--config', options.config], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let pending = '';

  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      lines.push(parseLine(pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
    }
    for (const waiter of waiters) waiter();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
    for (const waiter of waiters) waiter();
  });

  const service: ServiceProcess = {
    child,
    pid: child.pid!,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(match, timeoutMs = 10_000, what = 'a log line') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found) finish(() => resolve(found));
          else if (!alive) finish(() => reject(new Error(`process exited before ${what}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}`))),
          timeoutMs,
        );
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      started.delete(service);
      const pids = new Set([child.pid!, ...workerPids(lines)]);
      for (const pid of pids) killQuietly(pid, 'SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    },
  };
  started.add(service);
  return service;
}

/** Stops whatever a test left running; call from afterEach. */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((service) => service.stop()));
}

export function workerPids(lines: LogLine[]): number[] {
  return lines
    .filter((line) => line.Type === 'cluster.worker.listening')
    .map((line) => Number(line.Fields?.pid));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { raw: text };
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One GET on 127.0.0.1, on a fresh connection unless an agent is given. */
export function get(
  port: number,
  path: string,
  options: { agent?: Agent; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: options.agent ?? false,
        headers: options.headers,
        timeout: 10_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('request timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

export interface LoadResult {
  /** Completed responses by status. */
  statuses: Record<number, number>;
  /** Connections refused: the server was no longer listening, so no request was accepted. */
  refused: number;
  /** Every other failure (reset, hang-up, truncated body): each one is a lost request. */
  failures: string[];
  /** Pids seen in `/pid` answers, when that path is loaded. */
  pids: Set<number>;
  /** 503 answers without a `Retry-After`: a client cannot tell them from a failure. */
  unavailableWithoutRetry: number;
  /** 503 answers the service did not make (no `X-Request-ID` echoed): nginx's own. */
  unavailableFromProxy: number;
}

/**
 * Runs `connections` loops of keep-alive GETs for `durationMs` (or until `stop` resolves), each
 * loop sending its next request as soon as the previous answer is read.
 */
export async function runLoad(options: {
  port: number;
  path: string;
  connections: number;
  durationMs: number;
  stop?: Promise<unknown>;
}): Promise<LoadResult> {
  const result: LoadResult = {
    statuses: {},
    refused: 0,
    failures: [],
    pids: new Set(),
    unavailableWithoutRetry: 0,
    unavailableFromProxy: 0,
  };
  const agent = new Agent({ keepAlive: true });
  const deadline = Date.now() + options.durationMs;
  let stopped = false;
  void options.stop?.then(() => (stopped = true));

  const loop = async (): Promise<void> => {
    while (!stopped && Date.now() < deadline) {
      try {
        const answer = await get(options.port, options.path, { agent });
        result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
        if (answer.status === 503 && answer.headers['retry-after'] === undefined) {
          result.unavailableWithoutRetry++;
        }
        if (answer.status === 503 && answer.headers['x-request-id'] === undefined) {
          result.unavailableFromProxy++;
        }
        if (answer.status === 200 && options.path === '/pid') {
          result.pids.add((JSON.parse(answer.body) as { pid: number }).pid);
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') {
          result.refused++;
          await sleep(20);
        } else {
          result.failures.push(code ?? (error as Error).message);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  agent.destroy();
  return result;
}

export function count(statuses: Record<number, number>): number {
  return Object.values(statuses).reduce((sum, value) => sum + value, 0);
}

// Starts a generated service the way its README says, `npm start`, and follows its mozlog lines.
// npm runs the script through `sh -c`, so three processes stand between the test and the workers:
// npm, the shell and the service (the cluster primary). Signals go to the service's own pid, read
// from its log, as a supervisor running `node dist/main.js` (the Dockerfile's entry point) sends
// them.
import { spawn } from 'node:child_process';
import { isAlive, workerPids, type LogLine } from '../serve-harness.js';

/** A log line as parsed, with the text it was parsed from (mozlog's Timestamp exceeds 2^53). */
export type TextLine = LogLine & { text: string; Logger?: string; Hostname?: string };

export interface NpmService {
  /** The pid of `npm` itself. */
  npmPid: number;
  /** The service process: the cluster primary, or the only process. */
  pid: number;
  port: number;
  lines: TextLine[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(match: (line: TextLine) => boolean, timeoutMs: number, what: string): Promise<TextLine>;
  /** Workers logged as listening that are still alive. */
  liveWorkers(): number[];
  /** SIGKILL to npm, the service and every worker it logged, by pid; waits for npm to exit. */
  stop(): Promise<void>;
}

/** `npm start` in `project` with `env`; resolves once the service logs `server.listening`. */
export async function startNpmService(
  project: string,
  env: Record<string, string>,
): Promise<NpmService> {
  const service = spawnNpmStart(project, env);
  try {
    const primary = await service.waitFor(isServiceListening(service.lines), 30_000, 'listening');
    service.pid = Number(primary.Pid);
    service.port = Number(primary.Fields?.port);
    return service;
  } catch (error) {
    await service.stop();
    throw new Error(`${(error as Error).message}\n${service.output().slice(-4000)}`);
  }
}

// cluster.starting comes first from a primary, before any worker exists; its own
// server.listening waits for all workers
function isServiceListening(lines: TextLine[]): (line: TextLine) => boolean {
  return (line) => {
    if (line.Type !== 'server.listening') return false;
    const starting = lines.find((candidate) => candidate.Type === 'cluster.starting');
    return starting === undefined || line.Pid === starting.Pid;
  };
}

function spawnNpmStart(project: string, env: Record<string, string>): NpmService {
  const child = spawn('npm', ['start'], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: TextLine[] = [];
  const waiters = new Set<() => void>();
  let output = '';
  let pending = '';
  const notify = (): void => waiters.forEach((waiter) => waiter());

  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) lines.push(parseLine(text));
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
      notify();
    }),
  );

  const service: NpmService = {
    npmPid: child.pid!,
    pid: 0,
    port: 0,
    lines,
    output: () => output,
    exited,
    waitFor: (match, timeoutMs, what) =>
      new Promise((resolve, reject) => {
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        const check = (): void => {
          const found = lines.find(match);
          if (found) finish(() => resolve(found));
          else if (!running) finish(() => reject(new Error(`npm start exited before ${what}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}`))),
          timeoutMs,
        );
        waiters.add(check);
        check();
      }),
    liveWorkers: () => workerPids(lines).filter(isAlive),
    async stop() {
      for (const pid of [...workerPids(lines), service.pid, child.pid!]) killQuietly(pid);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
  };
  return service;
}

function parseLine(text: string): TextLine {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return { ...(parsed as LogLine), text };
  } catch {
    // npm's own banner and anything else that is not a record
  }
  return { raw: text, text };
}

function killQuietly(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

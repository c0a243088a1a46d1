// Runs a command under a real pseudo-terminal through util-linux script(1), so that the child
// sees a TTY on stdin, stdout and stderr, as it does when a person types the command.
import { spawn, spawnSync } from 'node:child_process';

export interface PtySession {
  /** Everything the child wrote to its terminal so far, escape sequences included. */
  output(): string;
  /** Types `keys` once `text` has appeared in the output after what earlier waits consumed. */
  answer(text: string, keys: string): Promise<void>;
  /** Resolves with the child's exit status (script -e passes it on), or rejects at the bound. */
  exited(timeoutMs: number): Promise<number | null>;
  /** SIGKILL to script(1) by pid, if it is still running. */
  stop(): void;
}

/** The terminal control sequences (CSI and OSC) removed, for reading output as text. */
export function plainText(output: string): string {
  // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
  return output.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '');
}

/** Whether script(1) from util-linux is installed. */
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Starts `command` (one shell line) in `cwd` under a pseudo-terminal. The environment goes to
 * script(1), which passes it to the shell and the command.
 */
export function startPtySession(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): PtySession {
  if (!hasScript())
    throw new Error('script(1) from util-linux is needed: apt-get install util-linux');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let consumed = 0;
  let running = true;
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    waiters.forEach((waiter) => waiter());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      waiters.forEach((waiter) => waiter());
      resolve(code);
    }),
  );

  return {
    output: () => output,
    answer: (text, keys) =>
      waitUntil(waiters, 20_000, `"${text}" on the terminal`, () => {
        const index = plainText(output.slice(consumed)).indexOf(text);
        if (index !== -1) {
          consumed = output.length;
          // the prompt draws its question before it listens; a short pause lets it start reading
          setTimeout(() => child.stdin.write(keys), 150);
          return true;
        }
        if (!running) throw new Error(`the command exited before asking "${text}"`);
        return false;
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${plainText(output).slice(-2000)}`);
      }),
    exited: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<never>((_resolve, reject) =>
          setTimeout(
            () => reject(new Error(`still running after ${timeoutMs} ms:\n${plainText(output)}`)),
            timeoutMs,
          ).unref(),
        ),
      ]),
    stop: () => {
      if (running) child.kill('SIGKILL');
    },
  };
}

/** Resolves once `check` returns true, checking on every event; rejects after `timeoutMs`. */
function waitUntil(
  waiters: Set<() => void>,
  timeoutMs: number,
  what: string,
  check: () => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      waiters.delete(waiter);
      settle();
    };
    const waiter = (): void => {
      try {
        if (check()) finish(resolve);
      } catch (error) {
        finish(() => reject(error as Error));
      }
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out waiting for ${what}`))),
      timeoutMs,
    );
    waiters.add(waiter);
    waiter();
  });
}

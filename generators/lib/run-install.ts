import { spawn } from 'node:child_process';
import { GeneratorError } from './generator-error.js';
import { onInterrupt } from './interrupt.js';

export interface InstallOptions {
  /** Where to install (the staging folder). */
  cwd: string;
  /** The client and its arguments: `['npm', 'install', ...]`. */
  command: readonly string[];
  /** The command the user should run if this one fails: `cd my-svc && npm install`. */
  rerun: string;
  /** Writes progress text without a line break (the generator's `log.write`). */
  write: (text: string) => void;
  /** Redraws a spinner line when true; prints plain lines otherwise. */
  tty: boolean;
  env?: NodeJS.ProcessEnv;
  /** Seconds between the plain "still installing" lines. */
  plainInterval?: number;
}

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** How much of the client's error output a failure shows: enough for the cause, not a flood. */
const errorTailLines = 40;

/**
 * Runs the install and shows that it is alive: on a terminal a spinner with the elapsed time and
 * the client's latest output line, otherwise a plain line now and then. Resolves when the client
 * exits 0; otherwise throws GEN_ERR_INSTALL_FAILED with the client's error output and the command
 * to run again.
 */
export async function runInstall(options: InstallOptions): Promise<void> {
  const [client, ...args] = options.command;
  const shown = options.command.join(' ');
  const started = Date.now();
  const output: string[] = [];
  let latest = '';

  const child = spawn(client!, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const unregister = onInterrupt(() => child.kill('SIGTERM'));
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed === '') continue;
      output.push(trimmed);
      if (output.length > 400) output.splice(0, output.length - 400);
      latest = trimmed;
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const elapsed = (): string => `${Math.round((Date.now() - started) / 1000)}s`;
  // a terminal whose size was never set (a pty opened by script(1) or a CI runner) reports 0
  const width = process.stderr.columns || 80;
  let frame = 0;
  let timer: NodeJS.Timeout;
  if (options.tty) {
    timer = setInterval(() => {
      const head = `${spinnerFrames[frame++ % spinnerFrames.length]} ${shown} (${elapsed()})`;
      const tail = latest ? `  ${latest}` : '';
      options.write(`\r\u001b[K${(head + tail).slice(0, width - 1)}`);
    }, 100);
  } else {
    options.write(`Installing dependencies: ${shown}\n`);
    timer = setInterval(
      () => {
        options.write(
          `  still installing (${elapsed()})${latest ? `: ${latest.slice(0, 160)}` : ''}\n`,
        );
      },
      (options.plainInterval ?? 15) * 1000,
    );
  }

  const result = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  clearInterval(timer);
  unregister();
  if (options.tty) options.write('\r\u001b[K');

  if (result.code === 0) {
    options.write(`Installed dependencies in ${elapsed()}\n`);
    return;
  }
  const reason = result.error
    ? `could not start ${client}: ${result.error.message}`
    : `${shown} exited with status ${result.code}`;
  const tail = output.slice(-errorTailLines).join('\n');
  throw new GeneratorError(
    'GEN_ERR_INSTALL_FAILED',
    `${reason}${tail ? `\n${tail}` : ''}\nThe project files are written. Fix the cause above, then install with: ${options.rerun}`,
  );
}

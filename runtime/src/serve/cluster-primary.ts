import cluster, { type Address, type Worker } from 'node:cluster';
import { ServiceError } from '../errors/service-error.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../errors/error-message.js';
import { RespawnPolicy } from './respawn-policy.js';
import type { RunningServer } from './serve-options.js';
import type { ServerSettings } from './server-settings.js';
import type { ShutdownSettings } from './shutdown-settings.js';
import { installSignalHandlers, type SignalName } from './signal-handlers.js';
import {
  RETIRE,
  STARTUP_FAILED,
  isStartupFailedMessage,
  type StartupFailedMessage,
} from './worker-messages.js';

export interface ClusterOptions {
  workers: number;
  settings: ServerSettings;
  shutdown: ShutdownSettings;
  logger: Logger;
  signals: boolean;
  /** Reads the configuration again and throws if it is broken; run before a reload forks. */
  checkConfig: () => void;
  policy?: RespawnPolicy | undefined;
}

type State = 'starting' | 'running' | 'reloading' | 'stopping';

// time a worker gets beyond its own shutdown budget before it is killed: process exit, IPC
const EXIT_MARGIN_MS = 2000;

/**
 * Runs a `node:cluster` primary with `workers` processes, each running this same program (which
 * calls `serve()` again and, as a worker, serves with one process). Resolves once every worker
 * listens. See `ClusterPrimary` for crashes, signals and reloads.
 */
export function serveCluster(options: ClusterOptions): Promise<RunningServer> {
  return new ClusterPrimary(options).start();
}

/**
 * The primary's bookkeeping. A worker that exits unasked is replaced after a back-off; workers
 * that keep dying before they listen stop the service (`SVC_ERR_SERVE_CRASH_LOOP`). SIGTERM and
 * SIGINT are forwarded to the workers, which run the shutdown phases; the primary exits once all
 * have exited. SIGHUP replaces the workers one at a time: a new one is forked and must listen
 * before an old one is retired, so some worker always accepts connections.
 */
class ClusterPrimary {
  readonly #options: ClusterOptions;
  readonly #logger: Logger;
  readonly #policy: RespawnPolicy;
  readonly #slots: Array<Worker | undefined>;
  readonly #listened = new WeakSet<Worker>();
  readonly #planned = new WeakSet<Worker>();
  readonly #candidates = new WeakSet<Worker>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #state: State = 'starting';
  #address: Address | undefined;
  #lastStartupError: StartupFailedMessage | undefined;
  #started:
    { resolve: (server: RunningServer) => void; reject: (error: Error) => void } | undefined;
  #stopping: Promise<boolean> | undefined;
  #uninstall: () => void = () => {};

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#policy = options.policy ?? new RespawnPolicy();
    this.#slots = new Array<Worker | undefined>(options.workers).fill(undefined);
  }

  start(): Promise<RunningServer> {
    return new Promise((resolve, reject) => {
      this.#started = { resolve, reject };
      this.#uninstall = this.#installSignals();
      this.#logger.info('cluster.starting', { workers: this.#options.workers });
      for (let slot = 0; slot < this.#slots.length; slot++) this.#fork(slot);
    });
  }

  #fork(slot: number): Worker {
    const worker = cluster.fork();
    this.#slots[slot] = worker;
    this.#watch(worker, slot);
    return worker;
  }

  #watch(worker: Worker, slot: number): void {
    worker.on('message', (message: unknown) => {
      if (isStartupFailedMessage(message)) this.#lastStartupError = message;
    });
    this.#limitStartup(worker, slot);
    worker.once('listening', (address: Address) => this.#onListening(worker, slot, address));
    worker.once('exit', (code: number | null, signal: string | null) =>
      this.#onExit(worker, slot, code, signal),
    );
  }

  /** Kills a worker that has neither listened nor exited within `startup_timeout`. */
  #limitStartup(worker: Worker, slot: number): void {
    const limitMs = this.#options.settings.startupTimeoutMs;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const message = `a worker did not listen within ${limitMs / 1000} s of starting`;
      this.#lastStartupError = {
        type: STARTUP_FAILED,
        code: 'SVC_ERR_SERVE_STARTUP_TIMEOUT',
        message,
      };
      this.#logger.error('cluster.worker.startup_timeout', { pid: worker.process.pid, slot });
      worker.process.kill('SIGKILL');
    }, limitMs);
    this.#timers.add(timer);
    const settle = (): void => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
    worker.once('listening', settle);
    worker.once('exit', settle);
  }

  #onListening(worker: Worker, slot: number, address: Address): void {
    this.#listened.add(worker);
    this.#policy.listened(slot, Date.now());
    this.#address ??= address;
    this.#logger.info('cluster.worker.listening', { pid: worker.process.pid, slot });

    const ready = this.#slots.every((each) => each !== undefined && this.#listened.has(each));
    if (this.#state === 'starting' && ready) this.#becomeRunning();
  }

  #becomeRunning(): void {
    this.#state = 'running';
    const { address, port } = this.#address!;
    this.#logger.info('server.listening', { address, port, workers: this.#slots.length });
    this.#started?.resolve({
      address: address ?? this.#options.settings.host,
      port,
      close: async () => {
        this.#uninstall();
        await this.#stop({ kind: 'retire' });
      },
    });
    this.#started = undefined;
  }

  #onExit(worker: Worker, slot: number, code: number | null, signal: string | null): void {
    const fields = { pid: worker.process.pid, slot, code, signal };
    if (this.#slots[slot] === worker) this.#slots[slot] = undefined;

    if (this.#candidates.has(worker)) {
      this.#logger.warn('cluster.worker.exit', {
        ...fields,
        replaced: false,
        reason: 'reload failed',
      });
      return;
    }
    if (this.#planned.has(worker) || this.#state === 'stopping') {
      const reason = this.#state === 'stopping' ? 'stopped' : 'retired';
      this.#logger.info('cluster.worker.exit', { ...fields, replaced: false, reason });
      return;
    }

    const decision = this.#policy.exited(slot, this.#listened.has(worker), Date.now());
    if (decision.action === 'give-up') {
      this.#logger.warn('cluster.worker.exit', {
        ...fields,
        replaced: false,
        reason: 'crash loop',
      });
      this.#giveUp(decision.startupFailures);
      return;
    }

    this.#logger.warn('cluster.worker.exit', {
      ...fields,
      replaced: true,
      delay_ms: decision.delayMs,
    });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#state !== 'stopping' && this.#slots[slot] === undefined) this.#fork(slot);
    }, decision.delayMs);
    this.#timers.add(timer);
  }

  #giveUp(startupFailures: number): void {
    const cause = this.#lastStartupError;
    const error = new ServiceError(
      'SVC_ERR_SERVE_CRASH_LOOP',
      `${startupFailures} workers in a row exited before listening; the service stops. ` +
        `Last start-up error: ${cause ? cause.message : 'none reported (see the worker output)'}`,
    );
    this.#logger.error('cluster.crash-loop', {
      startup_failures: startupFailures,
      cause: cause?.message,
      cause_code: cause?.code,
    });

    void this.#stop({ kind: 'retire' }).then(() => {
      if (this.#started) {
        this.#uninstall();
        this.#started.reject(error);
        this.#started = undefined;
      } else {
        process.exit(1);
      }
    });
  }

  #installSignals(): () => void {
    const { signals, shutdown } = this.#options;
    if (!signals) return () => {};

    const onStop = (signal: SignalName): void => {
      if (this.#stopping) {
        this.#logger.info('server.signal.ignored', { signal, reason: 'already stopping' });
        return;
      }
      void this.#stop({ kind: 'signal', signal }).then((clean) => process.exit(clean ? 0 : 1));
    };
    const onReload = (): void => {
      this.#reload().catch((error: unknown) => {
        this.#logger.error('cluster.reload.failed', { message: errorMessage(error) });
      });
    };

    // without clean_shutdown the primary keeps the default action, and its workers exit when
    // their IPC channel closes with it
    return installSignalHandlers(
      shutdown.clean ? { SIGTERM: onStop, SIGINT: onStop, SIGHUP: onReload } : { SIGHUP: onReload },
    );
  }

  #stop(how: { kind: 'retire' } | { kind: 'signal'; signal: SignalName }): Promise<boolean> {
    this.#stopping ??= this.#stopWorkers(how);
    return this.#stopping;
  }

  async #stopWorkers(
    how: { kind: 'retire' } | { kind: 'signal'; signal: SignalName },
  ): Promise<boolean> {
    this.#state = 'stopping';
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();

    const { settings, shutdown } = this.#options;
    const workers = Object.values(cluster.workers ?? {}).filter((each) => each !== undefined);
    this.#logger.info('cluster.stopping', {
      signal: how.kind === 'signal' ? how.signal : undefined,
      workers: workers.length,
    });

    let budgetMs = settings.drainTimeoutMs + EXIT_MARGIN_MS;
    if (how.kind === 'signal') budgetMs += shutdown.drainingMs + shutdown.closingMs;
    const results = await Promise.all(
      workers.map(async (worker) => {
        // a worker still starting has no handlers yet, so the signal ends it at once; it has
        // accepted nothing, so that end loses nothing and counts as clean
        const listened = this.#listened.has(worker);
        if (how.kind === 'signal') worker.process.kill(how.signal);
        else sendRetire(worker);
        const result = await exitWithin(worker, budgetMs);
        return { ...result, clean: !result.killed && (result.code === 0 || !listened) };
      }),
    );

    const clean = results.every((result) => result.clean);
    this.#logger.info('cluster.stopped', { clean, killed: results.filter((r) => r.killed).length });
    return clean;
  }

  async #reload(): Promise<void> {
    if (this.#state !== 'running') {
      this.#logger.info('cluster.reload.ignored', { state: this.#state });
      return;
    }
    try {
      this.#options.checkConfig();
    } catch (error) {
      this.#logger.error('cluster.reload.failed', {
        message: errorMessage(error),
        kept: 'old workers',
      });
      return;
    }

    this.#state = 'reloading';
    this.#logger.info('cluster.reloading', { workers: this.#slots.length });
    for (let slot = 0; slot < this.#slots.length; slot++) {
      if (!(await this.#replaceSlot(slot))) return;
    }
    this.#state = 'running';
    this.#logger.info('cluster.reloaded', { workers: this.#slots.length });
  }

  /** Forks a worker for `slot`, waits until it listens, then retires the one it replaces. */
  async #replaceSlot(slot: number): Promise<boolean> {
    const old = this.#slots[slot];
    const fresh = cluster.fork();
    // until it listens, the new worker is not the slot's: its exit is the reload's business
    this.#candidates.add(fresh);
    this.#watch(fresh, slot);

    if (!(await listensOrExits(fresh))) {
      if (this.#state === 'reloading') {
        this.#state = 'running';
        this.#logger.error('cluster.reload.failed', {
          message: this.#lastStartupError?.message ?? 'a new worker exited before listening',
          kept: 'old workers',
        });
      }
      return false;
    }
    if (this.#state !== 'reloading') return false;

    this.#candidates.delete(fresh);
    this.#slots[slot] = fresh;
    if (old && !old.isDead()) {
      this.#planned.add(old);
      sendRetire(old);
      await exitWithin(old, this.#options.settings.drainTimeoutMs + EXIT_MARGIN_MS);
    }
    return this.#state === 'reloading';
  }
}

function sendRetire(worker: Worker): void {
  if (worker.isConnected()) worker.send(RETIRE);
  else worker.process.kill('SIGTERM');
}

function listensOrExits(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const onListening = (): void => {
      worker.off('exit', onExit);
      resolve(true);
    };
    const onExit = (): void => {
      worker.off('listening', onListening);
      resolve(false);
    };
    worker.once('listening', onListening);
    worker.once('exit', onExit);
  });
}

/** Waits for a worker to exit; past `budgetMs` it is killed (a loop in a handler never drains). */
function exitWithin(
  worker: Worker,
  budgetMs: number,
): Promise<{ code: number | null; killed: boolean }> {
  if (worker.isDead()) {
    return Promise.resolve({ code: worker.process.exitCode, killed: false });
  }
  return new Promise((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      worker.process.kill('SIGKILL');
    }, budgetMs);
    worker.once('exit', (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, killed });
    });
  });
}

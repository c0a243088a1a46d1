import { errorMessage } from '../errors/error-message.js';

/** A heartbeat check: resolves when the dependency can serve, rejects with the reason otherwise. */
export type HealthCheck = () => Promise<unknown> | unknown;

/** Options of one heartbeat check. */
export interface HealthCheckOptions {
  /** Milliseconds before the check counts as failed. Default: `global.heartbeat_timeout`. */
  timeout?: number;
}

/** The outcome of one run of every check, as the heartbeat page reports it. */
export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<string, 'ok' | 'error'>;
  /** Why each failing check failed; filled by the heartbeat page only when `global.debug` is on. */
  failures: Record<string, string>;
}

interface Entry {
  check: HealthCheck;
  timeout: number;
}

/**
 * The named checks behind the heartbeat page. They run in parallel, each within its timeout, and
 * callers that arrive while a run is in progress share it, so a burst of heartbeat requests does
 * not open a burst of backend connections.
 */
export class HealthChecks {
  readonly #entries = new Map<string, Entry>();
  readonly #defaultTimeout: number;
  #running: Promise<HealthReport> | undefined;

  constructor(defaultTimeout: number) {
    this.#defaultTimeout = defaultTimeout;
  }

  add(name: string, check: HealthCheck, options: HealthCheckOptions = {}): void {
    this.#entries.set(name, { check, timeout: options.timeout ?? this.#defaultTimeout });
  }

  run(): Promise<HealthReport> {
    this.#running ??= this.#runAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runAll(): Promise<HealthReport> {
    const entries = [...this.#entries];
    const outcomes = await Promise.all(entries.map(([, entry]) => runOne(entry)));

    const report: HealthReport = { status: 'ok', checks: {}, failures: {} };
    entries.forEach(([name], index) => {
      const failure = outcomes[index];
      report.checks[name] = failure === undefined ? 'ok' : 'error';
      if (failure !== undefined) {
        report.status = 'error';
        report.failures[name] = failure;
      }
    });
    return report;
  }
}

async function runOne({ check, timeout }: Entry): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeout} ms`), timeout);
  });

  const outcome = Promise.resolve()
    .then(check)
    .then(
      () => undefined,
      (error: unknown) => errorMessage(error) || 'failed',
    );

  try {
    return await Promise.race([outcome, expired]);
  } finally {
    clearTimeout(timer);
  }
}

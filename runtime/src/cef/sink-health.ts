import type { Logger } from '../log/logger.js';

/** Where a sink reports the fate of each record. */
export interface SinkReport {
  written(): void;
  failed(reason: string): void;
}

/** A destination for CEF records. `write` never throws and never waits. */
export interface CefSink {
  write(line: string): void;
  /** Sends what is still buffered, then releases the file or socket. */
  close(): Promise<void>;
}

/** How often a failing sink may write `cef.sink.failed` to the operational log. */
const FAILURE_REPORT_INTERVAL_MS = 60_000;

/**
 * Counts written and lost records. A sink that cannot write must stay visible without flooding
 * the operational log, so failures are reported at most once per interval, with the number lost
 * since the previous report and the latest reason; the first success after a failure is logged
 * once as `cef.sink.recovered`.
 */
export class SinkHealth implements SinkReport {
  #written = 0;
  #failed = 0;
  #unreported = 0;
  #lastReason = '';
  #lastReportAt: number | undefined;
  #failing = false;

  constructor(
    private readonly sink: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  written(): void {
    this.#written++;
    if (!this.#failing) return;
    this.#failing = false;
    this.logger.info('cef.sink.recovered', { sink: this.sink, failed: this.#failed });
  }

  failed(reason: string): void {
    this.#failed++;
    this.#unreported++;
    this.#lastReason = reason;
    this.#failing = true;
    const now = this.now();
    if (this.#lastReportAt !== undefined && now - this.#lastReportAt < FAILURE_REPORT_INTERVAL_MS) {
      return;
    }
    this.#report(now);
  }

  /** Reports failures still unreported, so that none goes unmentioned when the logger closes. */
  flush(): void {
    if (this.#unreported > 0) this.#report(this.now());
  }

  stats(): { written: number; failed: number } {
    return { written: this.#written, failed: this.#failed };
  }

  #report(now: number): void {
    this.logger.error('cef.sink.failed', {
      sink: this.sink,
      count: this.#unreported,
      total: this.#failed,
      reason: this.#lastReason,
    });
    this.#unreported = 0;
    this.#lastReportAt = now;
  }
}

/** A short reason for a failure, for the operational log. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

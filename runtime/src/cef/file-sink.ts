import { closeSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';

import { describeFailure, type CefSink, type SinkReport } from './sink-health.js';

const ROTATION_CHECK_MS = 1_000;

/**
 * Appends each record as one line to a file. The file is opened with O_APPEND and each record is
 * a single write(2) of `line + "\n"`: on a local Linux file system such an append lands whole at
 * the end of the file, so several worker processes can share one file without a lock.
 *
 * The write is synchronous (a few microseconds for a local file) so that a record is on its way
 * before the request goes on. After a failure the file is closed, and the next record opens it
 * again. At most once a second the sink checks that the path still names the open file, and
 * reopens it when log rotation (or anyone) moved or removed it.
 */
export class FileSink implements CefSink {
  #fd: number | undefined;
  #checkedAt = 0;

  constructor(
    private readonly path: string,
    private readonly report: SinkReport,
    private readonly now: () => number = Date.now,
  ) {}

  write(line: string): void {
    const buffer = Buffer.from(line + '\n', 'utf8');
    try {
      this.#checkRotation();
      this.#fd ??= openSync(this.path, 'a', 0o640);
      const written = writeSync(this.#fd, buffer);
      if (written !== buffer.length) {
        throw new Error(`short write: ${written} of ${buffer.length} bytes to ${this.path}`);
      }
      this.report.written();
    } catch (error) {
      this.#release();
      this.report.failed(describeFailure(error));
    }
  }

  async close(): Promise<void> {
    this.#release();
  }

  #checkRotation(): void {
    const now = this.now();
    if (this.#fd === undefined || now - this.#checkedAt < ROTATION_CHECK_MS) return;
    this.#checkedAt = now;
    const open = fstatSync(this.#fd);
    const named = statSync(this.path, { throwIfNoEntry: false });
    if (!named || named.ino !== open.ino || named.dev !== open.dev) this.#release();
  }

  #release(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // the descriptor is unusable either way; the next record opens a new one
    }
    this.#fd = undefined;
  }
}

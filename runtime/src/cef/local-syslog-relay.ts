import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

import type { SyslogSettings } from './read-cef-config.js';
import { describeFailure, type CefSink, type SinkReport } from './sink-health.js';
import { SYSLOG_FACILITIES, SYSLOG_PRIORITIES } from './syslog-codes.js';
import { CLOSE_TIMEOUT_MS, MAX_BUFFERED_BYTES, RECONNECT_DELAY_MS } from './syslog-limits.js';

/** The util-linux program that writes to the local syslog socket, whatever its type. */
const RELAY_COMMAND = 'logger';
// logger splits a longer input line into several messages, which would break the one record,
// one message rule and the counting below; a CEF record is far shorter than this
const MAX_MESSAGE_BYTES = 60_000;

type Relay = ChildProcessByStdio<Writable, null, Readable>;

/**
 * Sends records to a local syslog socket (`/dev/log` by default) through one long-lived util-linux
 * `logger` process reading them on its standard input, one line a message. Node can open only
 * Unix stream sockets, while most Linux syslog daemons (systemd-journald, rsyslog) serve `/dev/log`
 * as a datagram socket; `logger` speaks both. Its messages are those of the C library's syslog(3):
 * `<PRI>Mmm dd hh:mm:ss TAG: ` and the record.
 *
 * Counting is exact: `logger -s` repeats each message on its standard error once it is sent, so
 * every repeated line confirms the oldest record in flight. With `--socket-errors=on` a failed send
 * ends `logger` with the reason; the records still in flight are then counted as failed, and the
 * next record after a pause starts a new `logger`. When `logger` is not installed, the records go
 * to `fallback` (a direct stream connection) instead, the ones in flight included.
 */
export class LocalSyslogRelay implements CefSink {
  #relay: Relay | undefined;
  #inFlight: string[] = [];
  #lastError = 'not started';
  #retryAt = 0;
  #fallback: CefSink | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly settings: SyslogSettings & { address: { transport: 'unix'; path: string } },
    private readonly report: SinkReport,
    private readonly now: () => number,
    private readonly openFallback: () => CefSink,
  ) {}

  write(line: string): void {
    if (this.#fallback) return this.#fallback.write(line);
    if (Buffer.byteLength(line) > MAX_MESSAGE_BYTES) {
      this.report.failed(`a record of over ${MAX_MESSAGE_BYTES} bytes cannot go to ${this.#path}`);
      return;
    }
    const relay = this.#running();
    if (!relay) return this.report.failed(this.#lastError);
    if (relay.stdin.writableLength > MAX_BUFFERED_BYTES) {
      this.report.failed(`the syslog receiver at ${this.#path} is not reading`);
      return;
    }
    this.#inFlight.push(line);
    relay.stdin.write(`${line}\n`);
  }

  async close(): Promise<void> {
    if (this.#fallback) return this.#fallback.close();
    const relay = this.#relay;
    if (!relay) return;
    this.#closing ??= new Promise<void>((done) => {
      const timer = setTimeout(() => relay.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      relay.once('close', () => {
        clearTimeout(timer);
        done();
      });
      relay.stdin.end();
    });
    await this.#closing;
  }

  get #path(): string {
    return this.settings.address.path;
  }

  #running(): Relay | undefined {
    if (this.#relay) return this.#relay;
    if (this.now() < this.#retryAt) return undefined;
    const relay = spawn(RELAY_COMMAND, this.#arguments(), {
      stdio: ['pipe', 'ignore', 'pipe'],
      // its own process group: a Ctrl-C or a group-wide SIGTERM must not end it before the
      // service's own shutdown has logged its last records; it ends at the end of its input
      detached: true,
    });
    this.#relay = relay;
    this.#closing = undefined;
    this.#listen(relay);
    return relay;
  }

  #arguments(): string[] {
    const { facility, priority, tag } = this.settings;
    // each value joined to its option, so that a path or tag starting with a dash stays a value
    return [
      `--socket=${this.#path}`,
      '--socket-errors=on',
      '--stderr',
      `--size=${MAX_MESSAGE_BYTES + 1024}`,
      `--priority=${nameOf(SYSLOG_FACILITIES, facility)}.${nameOf(SYSLOG_PRIORITIES, priority)}`,
      `--tag=${tag}`,
    ];
  }

  #listen(relay: Relay): void {
    let errorText = '';
    let partial = '';
    relay.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        // a repeated message starts with its <PRI>; anything else is logger's own complaint
        if (line.startsWith('<') && this.#inFlight.length > 0) {
          this.#inFlight.shift();
          this.report.written();
        } else if (line.trim() !== '') {
          errorText = line.replace(/^logger: /, '');
        }
      }
    });
    relay.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return this.#useFallback();
      errorText = describeFailure(error);
    });
    relay.on('close', (code, signal) => {
      if (this.#relay !== relay) return;
      this.#relay = undefined;
      const reason = errorText || `logger ended (${signal ?? `exit status ${code}`})`;
      this.#lastError = `${this.#path}: ${reason}`;
      if (code !== 0) this.#retryAt = this.now() + RECONNECT_DELAY_MS;
      const lost = this.#inFlight.splice(0).length;
      for (let i = 0; i < lost; i++) this.report.failed(this.#lastError);
    });
    relay.stdin.on('error', () => {
      // a broken pipe means logger has ended; its 'close' event counts what was in flight
    });
    relay.unref();
    unrefStream(relay.stdin);
    unrefStream(relay.stderr);
  }

  /** No `logger` here: a direct stream connection takes over, with the records in flight. */
  #useFallback(): void {
    this.#relay = undefined;
    this.#fallback = this.openFallback();
    for (const line of this.#inFlight.splice(0)) this.#fallback.write(line);
  }
}

function nameOf(codes: Readonly<Record<string, number>>, value: number): string {
  const entry = Object.entries(codes).find(([, code]) => code === value);
  return entry![0].toLowerCase();
}

// pipes to a child are sockets; unreferenced, they do not keep the service's process alive
function unrefStream(stream: Readable | Writable): void {
  (stream as unknown as { unref?: () => void }).unref?.();
}

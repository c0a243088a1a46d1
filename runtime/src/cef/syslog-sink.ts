import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';

import { LocalSyslogRelay } from './local-syslog-relay.js';
import type { SyslogAddress, SyslogSettings } from './read-cef-config.js';
import { describeFailure, type CefSink, type SinkReport } from './sink-health.js';
import { CLOSE_TIMEOUT_MS, MAX_BUFFERED_BYTES, RECONNECT_DELAY_MS } from './syslog-limits.js';

/**
 * The syslog message for one record, RFC 3164 style: `<PRI>TAG: ` and the CEF line, which already
 * starts with its own date and host (as the legacy library's did). PRI is facility * 8 + priority.
 */
function syslogMessage(line: string, settings: SyslogSettings): string {
  return `<${settings.facility * 8 + settings.priority}>${settings.tag}: ${line}`;
}

/**
 * A sink sending each record as one syslog message to `settings.address`: UDP datagrams, a TCP
 * connection, or the local socket through `logger` (a direct stream connection when `logger` is
 * not installed).
 */
export function createSyslogSink(
  settings: SyslogSettings,
  report: SinkReport,
  now: () => number,
): CefSink {
  const frame = (line: string): string => syslogMessage(line, settings);
  const { address } = settings;
  if (address.transport === 'udp') return new DatagramSyslogSink(address, frame, report);
  const stream = (): CefSink => new StreamSyslogSink(address, frame, report, now);
  if (address.transport !== 'unix') return stream();
  return new LocalSyslogRelay({ ...settings, address }, report, now, stream);
}

/**
 * One datagram per record, from one socket kept for the logger's life. The datagram is the UTF-8
 * buffer, so its length is the byte length, whatever characters the record holds.
 */
class DatagramSyslogSink implements CefSink {
  #socket: DatagramSocket | undefined;
  #pending = 0;
  #drained: (() => void) | undefined;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly frame: (line: string) => string,
    private readonly report: SinkReport,
  ) {}

  write(line: string): void {
    const socket = this.#open();
    this.#pending++;
    socket.send(
      Buffer.from(this.frame(line), 'utf8'),
      this.address.port,
      this.address.host,
      (error) => {
        if (error) this.report.failed(describeFailure(error));
        else this.report.written();
        if (--this.#pending === 0) this.#drained?.();
      },
    );
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#pending > 0) await new Promise<void>((done) => (this.#drained = done));
    this.#socket = undefined;
    await new Promise<void>((done) => socket.close(() => done()));
  }

  #open(): DatagramSocket {
    if (this.#socket) return this.#socket;
    const socket = createSocket(isIPv6(this.address.host) ? 'udp6' : 'udp4');
    // a send error reaches the send callback; this keeps a stray socket error from crashing
    socket.on('error', (error) => this.report.failed(describeFailure(error)));
    socket.unref();
    this.#socket = socket;
    return socket;
  }
}

/**
 * A TCP or Unix stream connection, opened on the first record and again after it breaks. Over
 * TCP each message is framed by octet counting (RFC 6587 section 3.4.1: `LENGTH SP MESSAGE`,
 * LENGTH in bytes), which does not depend on the message being free of line breaks. Over a Unix
 * socket each message ends with a newline, as stream-socket syslog daemons expect.
 */
class StreamSyslogSink implements CefSink {
  #socket: Socket | undefined;
  #retryAt = 0;
  #lastError = 'not connected';
  readonly #errors = new WeakMap<Socket, string>();

  constructor(
    private readonly address: Exclude<SyslogAddress, { transport: 'udp' }>,
    private readonly frame: (line: string) => string,
    private readonly report: SinkReport,
    private readonly now: () => number,
  ) {}

  write(line: string): void {
    const socket = this.#connection();
    if (!socket) {
      this.report.failed(this.#lastError);
      return;
    }
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      this.report.failed(`the syslog receiver at ${this.#describe()} is not reading`);
      return;
    }
    socket.write(this.#framed(line), (error) => {
      if (!error) this.report.written();
      // a broken connection fails pending writes with a generic error before (or just after)
      // its own 'error' event, so the report waits a turn to name the connection's error
      else
        setImmediate(() => this.report.failed(this.#errors.get(socket) ?? describeFailure(error)));
    });
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        done();
      });
      socket.end();
    });
  }

  #framed(line: string): Buffer {
    const message = Buffer.from(this.frame(line), 'utf8');
    if (this.address.transport === 'unix') return Buffer.concat([message, Buffer.from('\n')]);
    return Buffer.concat([Buffer.from(`${message.length} `), message]);
  }

  #connection(): Socket | undefined {
    if (this.#socket && !this.#socket.destroyed) return this.#socket;
    if (this.now() < this.#retryAt) return undefined;

    const socket =
      this.address.transport === 'unix'
        ? connect({ path: this.address.path })
        : connect({ host: this.address.host, port: this.address.port });
    socket.on('error', (error) => {
      this.#lastError = `${this.#describe()}: ${describeFailure(error)}${hint(error)}`;
      this.#errors.set(socket, this.#lastError);
      this.#retryAt = this.now() + RECONNECT_DELAY_MS;
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
    // the receiver never sends anything back; reading keeps a closed connection noticed
    socket.on('data', () => {});
    socket.unref();
    this.#socket = socket;
    return socket;
  }

  #describe(): string {
    const { address } = this;
    return address.transport === 'unix' ? address.path : `${address.host}:${address.port}`;
  }
}

// most Linux systems (systemd-journald, rsyslog) serve /dev/log as a datagram socket, which
// Node's net and dgram modules cannot write to; this connection is tried only without `logger`
function hint(error: Error): string {
  if ((error as NodeJS.ErrnoException).code !== 'EPROTOTYPE') return '';
  return (
    ' (a datagram socket: install util-linux logger, Debian package bsdutils, or point' +
    ' syslog.address at udp://127.0.0.1:514)'
  );
}

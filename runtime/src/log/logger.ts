import { hostname } from 'node:os';
import type { Writable } from 'node:stream';

/** Syslog severities, as mozlog numbers them. */
export const severities = { critical: 2, error: 3, warn: 4, info: 6, debug: 7 } as const;
/** A record's level, from `debug` up to `critical`. */
export type Level = keyof typeof severities;

/** The structured fields of a record, mozlog's `Fields`. */
export type LogFields = Record<string, unknown>;

/** One operational log record, before it is written in a format. */
export interface LogRecord {
  time: Date;
  /** Nanoseconds since the epoch, mozlog's `Timestamp`. */
  timestamp: bigint;
  level: Level;
  /** What happened, as a dotted name: `request.summary`, `app.error`, `cef.sink.failed`. */
  type: string;
  fields: LogFields;
}

/**
 * The runtime's operational logger. Each call writes one structured record; `child()` returns a
 * logger whose records carry extra fields, which is how every line of a request carries its id.
 */
export interface Logger {
  debug(type: string, fields?: LogFields): void;
  info(type: string, fields?: LogFields): void;
  warn(type: string, fields?: LogFields): void;
  error(type: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** `mozlog`: one JSON object per line (the default); `text`: a readable line, for terminals. */
export type LogFormat = 'mozlog' | 'text';

export interface LoggerOptions {
  /** Logger name, mozlog's `Logger` field. */
  name: string;
  /** Where records go, one line each. */
  stream: Writable;
  format?: LogFormat;
  /** Records below this level are dropped. Default `info`. */
  level?: Level;
}

type Sink = (record: LogRecord) => void;

class RecordLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly minimum: number,
    private readonly bound: LogFields,
  ) {}

  debug(type: string, fields?: LogFields): void {
    this.write('debug', type, fields);
  }

  info(type: string, fields?: LogFields): void {
    this.write('info', type, fields);
  }

  warn(type: string, fields?: LogFields): void {
    this.write('warn', type, fields);
  }

  error(type: string, fields?: LogFields): void {
    this.write('error', type, fields);
  }

  child(fields: LogFields): Logger {
    return new RecordLogger(this.sink, this.minimum, { ...this.bound, ...fields });
  }

  private write(level: Level, type: string, fields: LogFields | undefined): void {
    if (severities[level] > this.minimum) return;
    const time = new Date();
    const timestamp = BigInt(time.getTime()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    this.sink({ time, timestamp, level, type, fields: { ...this.bound, ...fields } });
  }
}

/**
 * Builds a logger that writes one line per record to `stream`: mozlog JSON by default, or readable
 * text with `format: 'text'`. Records below `level` (default `info`) are dropped.
 *
 * ```ts
 * const logger = createLogger({ name: 'my-service', stream: process.stdout });
 * logger.child({ rid: 'abc' }).info('request.summary', { code: 200 });
 * ```
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? 'mozlog';
  const render = format === 'mozlog' ? mozlogRenderer(options.name) : renderText;
  const sink: Sink = (record) => options.stream.write(render(record) + '\n');
  return new RecordLogger(sink, severities[options.level ?? 'info'], {});
}

/** A logger that keeps its records in memory; tests read `records`. */
export function createMemoryLogger(level: Level = 'debug'): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = new RecordLogger((record) => records.push(record), severities[level], {});
  return Object.assign(logger, { records });
}

/** A logger that drops everything. */
export const silentLogger: Logger = new RecordLogger(() => {}, -1, {});

function mozlogRenderer(name: string): (record: LogRecord) => string {
  const host = hostname();
  return (record) => {
    // nanoseconds exceed a double's precision, so the integer is written by hand
    const rest = JSON.stringify({
      Type: record.type,
      Logger: name,
      Hostname: host,
      EnvVersion: '2.0',
      Severity: severities[record.level],
      Pid: process.pid,
      Fields: record.fields,
    });
    return `{"Timestamp":${record.timestamp},${rest.slice(1)}`;
  };
}

function renderText(record: LogRecord): string {
  const fields = Object.entries(record.fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${record.time.toISOString()} ${record.level.toUpperCase()} ${record.type} ${fields}`.trim();
}

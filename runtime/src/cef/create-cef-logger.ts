import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { CefConfig, CefEvent, CefLogger } from './cef-event.js';
import { FileSink } from './file-sink.js';
import { buildCefRecord } from './format-cef.js';
import { readCefConfig, type CefSettings } from './read-cef-config.js';
import { SinkHealth, describeFailure, type CefSink } from './sink-health.js';
import { createSyslogSink } from './syslog-sink.js';

/** What `createCefLogger` needs besides the configuration. */
export interface CefLoggerOptions {
  /** Receives `cef.sink.failed` (at most once a minute) and warnings about dropped extensions. */
  logger: Logger;
  /** The clock, in milliseconds, that paces failure reports and reconnections. */
  now?: (() => number) | undefined;
}

/**
 * Builds the app's CEF logger from the `[cef]` section, or returns `undefined` when CEF is off
 * (no `[cef]` section, or `use = false`). `file` is a path, relative to the config file's
 * directory, or `syslog`; see docs/cef.md for every key and its default. A missing header key or
 * a bad syslog setting is a `ConfigError` with the file and line.
 *
 * `log()` formats and hands the record to the sink synchronously and never throws: a record that
 * cannot be written is counted in `stats().failed` and reported through `logger` as
 * `cef.sink.failed`, at most once a minute. The sink tries again with the next record.
 *
 * ```ts
 * const cef = createCefLogger(config, { logger });
 * cef?.log({ name: 'AuthFail', severity: 7, username: 'bob', request });
 * ```
 */
export function createCefLogger(
  config: Config,
  { logger, now = Date.now }: CefLoggerOptions,
): CefLogger | undefined {
  const settings = readCefConfig(config);
  if (!settings) return undefined;
  const health = new SinkHealth(sinkName(settings), logger, now);
  const sink = openSink(settings, health, now);
  return new SinkCefLogger(settings.header, sink, health, logger);
}

function sinkName(settings: CefSettings): string {
  const { target } = settings;
  if (target.kind === 'file') return target.path;
  const { address } = target;
  if (address.transport === 'unix') return `syslog:${address.path}`;
  return `syslog:${address.transport}://${address.host}:${address.port}`;
}

function openSink(settings: CefSettings, health: SinkHealth, now: () => number): CefSink {
  const { target } = settings;
  if (target.kind === 'file') return new FileSink(target.path, health, now);
  return createSyslogSink(target, health, now);
}

class SinkCefLogger implements CefLogger {
  #closed = false;

  constructor(
    private readonly header: CefConfig,
    private readonly sink: CefSink,
    private readonly health: SinkHealth,
    private readonly logger: Logger,
  ) {}

  log(event: CefEvent): void {
    if (this.#closed) {
      this.health.failed('the CEF logger is closed');
      return;
    }
    try {
      const record = buildCefRecord(event, this.header);
      this.#warnAboutDropped(event, record.invalidKeys, record.droppedKeys);
      this.sink.write(record.line);
    } catch (error) {
      // a record must never break the request that raised it
      this.health.failed(describeFailure(error));
    }
  }

  stats(): { written: number; failed: number } {
    return this.health.stats();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.sink.close();
    this.health.flush();
  }

  #warnAboutDropped(event: CefEvent, invalidKeys: string[], droppedKeys: string[]): void {
    if (invalidKeys.length > 0) {
      this.logger.warn('cef.extension.invalid_key', { name: event.name, keys: invalidKeys });
    }
    if (droppedKeys.length > 0) {
      this.logger.warn('cef.record.too_long', { name: event.name, dropped: droppedKeys });
    }
  }
}

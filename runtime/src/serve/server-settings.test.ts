import { describe, expect, it } from 'vitest';
import { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';
import { parseConfig } from '../config/parse-config.js';
import { readServerSettings } from './server-settings.js';
import { readShutdownSettings } from './shutdown-settings.js';

function settingsOf(server: Record<string, string | number>) {
  return readServerSettings(Config.fromObject({ server }));
}

describe('readServerSettings', () => {
  it('gives the documented defaults for an empty config', () => {
    expect(readServerSettings(Config.fromObject({}))).toEqual({
      host: '127.0.0.1',
      port: 8000,
      workers: 1,
      keepAliveTimeoutMs: 75_000,
      headersTimeoutMs: 76_000,
      requestTimeoutMs: 300_000,
      maxHeaderSize: 16384,
      maxRequestsPerSocket: 0,
      drainTimeoutMs: 5000,
      startupTimeoutMs: 30_000,
    });
  });

  it('keeps headers_timeout above a changed keepalive_timeout by default', () => {
    expect(settingsOf({ keepalive_timeout: 90 }).headersTimeoutMs).toBe(91_000);
  });

  it('reads seconds written as integers or decimals', () => {
    const settings = settingsOf({ keepalive_timeout: '2.5', drain_timeout: 0, request_timeout: 0 });
    expect(settings.keepAliveTimeoutMs).toBe(2500);
    expect(settings.drainTimeoutMs).toBe(0);
    expect(settings.requestTimeoutMs).toBe(0);
  });

  it('accepts port 0 and refuses a port above 65535 with file and line', () => {
    expect(settingsOf({ port: 0 }).port).toBe(0);
    const config = parseConfig('[server]\nhost = 127.0.0.1\nport = 70000\n', { filename: 'a.ini' });
    const error = captureError(() => readServerSettings(config));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'SVC_ERR_SERVE_INVALID_SETTING', file: 'a.ini', line: 3 });
    expect(error.message).toContain('[server] port must be between 0 and 65535, got 70000');
  });

  it('refuses workers = 0 and a request_timeout shorter than headers_timeout', () => {
    expect(() => settingsOf({ workers: 0 })).toThrow(/workers must be between 1/);
    expect(() => settingsOf({ headers_timeout: 20, request_timeout: 10 })).toThrow(
      /request_timeout must be 0 or at least headers_timeout \(20 s\)/,
    );
  });

  it('refuses a duration that is not seconds', () => {
    expect(() => settingsOf({ keepalive_timeout: '75s' })).toThrow(
      /keepalive_timeout must be a number of seconds/,
    );
    expect(() => settingsOf({ keepalive_timeout: -1 })).toThrow(/must be a number of seconds/);
  });
});

describe('readShutdownSettings', () => {
  it('gives the legacy defaults: clean shutdown, 1 s and 1 s', () => {
    expect(readShutdownSettings(Config.fromObject({}))).toEqual({
      clean: true,
      drainingMs: 1000,
      closingMs: 1000,
    });
  });

  it('reads the legacy keys as written in old configs', () => {
    const config = parseConfig(
      '[global]\nclean_shutdown = false\ngraceful_shutdown_interval = 1.5\nhard_shutdown_interval = 0.25\n',
    );
    expect(readShutdownSettings(config)).toEqual({
      clean: false,
      drainingMs: 1500,
      closingMs: 250,
    });
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

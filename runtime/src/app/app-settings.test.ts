import { describe, expect, it } from 'vitest';
import { Config, type ConfigValue } from '../config/config.js';
import { readAppSettings } from './app-settings.js';

const read = (object: Record<string, Record<string, ConfigValue>>) =>
  readAppSettings(Config.fromObject(object));

describe('readAppSettings', () => {
  it('has the documented defaults', () => {
    expect(read({})).toEqual({
      retryAfter: 1800,
      heartbeatPage: '__heartbeat__',
      heartbeatTimeout: 5000,
      debug: false,
      debugPage: undefined,
      debugPagePublic: false,
      clientDebug: false,
      profile: false,
      timestampHeader: 'X-Weave-Timestamp',
      trustProxy: false,
      proxyCount: 1,
      versionFile: 'version.json',
      packageFile: undefined,
      bodyLimit: '1mb',
      accessLog: false,
      accessFormat: 'combined',
    });
  });

  it('turns the access log on with global.debug', () => {
    expect(read({ global: { debug: true } }).accessLog).toBe(true);
  });

  it('accepts a page path with a leading slash', () => {
    expect(read({ global: { debug_page: '/__debug__' } }).debugPage).toBe('__debug__');
  });

  it('reads a fractional heartbeat_timeout, which the reader leaves as a string', () => {
    expect(read({ global: { heartbeat_timeout: '0.5' } }).heartbeatTimeout).toBe(500);
  });

  it.each([
    [{ logging: { access_format: 'apache' } }, /access_format must be combined or json/],
    [{ global: { proxy_count: 0 } }, /proxy_count must be 1 or more/],
    [{ server: { body_limit: 'lots' } }, /body_limit must be a size/],
    [{ global: { heartbeat_timeout: 0 } }, /heartbeat_timeout must be a positive/],
    [{ global: { debug_page: 'a b' } }, /debug_page must be a path/],
  ])('refuses %j', (object, message) => {
    expect(() => read(object as never)).toThrow(
      expect.objectContaining({
        code: 'SVC_ERR_APP_INVALID_SETTING',
        message: expect.stringMatching(message),
      }),
    );
  });
});

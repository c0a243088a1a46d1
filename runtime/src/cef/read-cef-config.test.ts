import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Config, type ConfigValue, type SectionEntries } from '../config/config.js';
import { readCefConfig, type SyslogSettings } from './read-cef-config.js';

const header = { vendor: 'mozilla', product: 'weave', version: 0, device_version: 3 };

function read(cef: Record<string, ConfigValue>, file?: string): ReturnType<typeof readCefConfig> {
  return readCefConfig(Config.fromObject({ cef }, file));
}

function syslog(extra: Record<string, ConfigValue>): SyslogSettings {
  const settings = read({ ...header, file: 'syslog', ...extra });
  if (settings?.target.kind !== 'syslog') throw new Error('expected a syslog target');
  return settings.target;
}

describe('readCefConfig', () => {
  it('is off without a [cef] section and with use = false', () => {
    expect(readCefConfig(Config.fromObject({ global: {} }))).toBeUndefined();
    expect(read({ use: false })).toBeUndefined();
  });

  it('is on by default when [cef] exists', () => {
    expect(read({ ...header, file: '/var/log/cef.log' })).toEqual({
      header: { vendor: 'mozilla', product: 'weave', version: '0', deviceVersion: '3' },
      target: { kind: 'file', path: '/var/log/cef.log' },
    });
  });

  it('requires the header keys and file, pointing at the section', () => {
    for (const key of ['vendor', 'product', 'version', 'device_version', 'file']) {
      const cef: Record<string, ConfigValue> = { ...header, file: 'cef.log' };
      delete cef[key];
      expect(() => read(cef, '/etc/app.ini')).toThrow(
        expect.objectContaining({
          code: 'SVC_ERR_CEF_MISSING_KEY',
          file: '/etc/app.ini',
          message: expect.stringContaining(`[cef] ${key} is required`),
        }),
      );
    }
  });

  it('gives the file and line of the [cef] header for a missing key', () => {
    const entries = new Map([['vendor', { value: 'mozilla', file: '/etc/app.ini', line: 8 }]]);
    const headers = new Map([['cef', { file: '/etc/app.ini', line: 7 }]]);
    const config = new Config(new Map([['cef', entries]]), { file: '/etc/app.ini', headers });
    expect(() => readCefConfig(config)).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_CEF_MISSING_KEY', file: '/etc/app.ini', line: 7 }),
    );
    expect(() => readCefConfig(config)).toThrow(/^\/etc\/app\.ini:7: \[cef\] product is required/);
  });

  it('points at the key for a bad value', () => {
    const values: Record<string, ConfigValue> = { ...header, file: 'syslog' };
    const entries: SectionEntries = new Map();
    for (const [key, value] of Object.entries(values)) {
      entries.set(key, { value, file: '/etc/app.ini', line: 2 });
    }
    entries.set('syslog.facility', { value: 'LOCAL9', file: '/etc/app.ini', line: 9 });
    const config = new Config(new Map([['cef', entries]]), { file: '/etc/app.ini' });
    expect(() => readCefConfig(config)).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_CEF_INVALID_VALUE', line: 9 }),
    );
  });

  it('resolves a relative file against the config file directory', () => {
    const settings = read({ ...header, file: 'logs/cef.log' }, '/srv/app/etc/app.ini');
    expect(settings?.target).toEqual({ kind: 'file', path: join('/srv/app/etc', 'logs/cef.log') });
  });

  it('defaults syslog to LOCAL4, INFO, the process name and /dev/log', () => {
    const target = syslog({});
    expect(target).toMatchObject({
      facility: 20,
      priority: 6,
      address: { transport: 'unix', path: '/dev/log' },
    });
    expect(target.tag).toMatch(/^[\x21-\x7e]+$/);
  });

  it('honours syslog.facility, syslog.priority, syslog.ident and the PID option', () => {
    const target = syslog({
      'syslog.facility': 'auth',
      'syslog.priority': 'WARNING',
      'syslog.ident': 'my app',
      'syslog.options': 'PID, NDELAY',
    });
    expect(target).toMatchObject({ facility: 4, priority: 4, tag: `my_app[${process.pid}]` });
  });

  it('parses udp, tcp and socket-path addresses', () => {
    expect(syslog({ 'syslog.address': 'udp://127.0.0.1:5514' }).address).toEqual({
      transport: 'udp',
      host: '127.0.0.1',
      port: 5514,
    });
    expect(syslog({ 'syslog.address': 'tcp://[::1]' }).address).toEqual({
      transport: 'tcp',
      host: '::1',
      port: 514,
    });
    expect(syslog({ 'syslog.address': '/run/syslog.sock' }).address).toEqual({
      transport: 'unix',
      path: '/run/syslog.sock',
    });
  });

  it('rejects unknown facilities, priorities, options and address schemes', () => {
    const bad: Record<string, ConfigValue>[] = [
      { 'syslog.facility': 'LOCAL8' },
      { 'syslog.priority': 'LOUD' },
      { 'syslog.options': 'PID,FAST' },
      { 'syslog.address': 'http://127.0.0.1:514' },
      { 'syslog.address': 'udp://127.0.0.1:514/x' },
    ];
    for (const extra of bad) {
      expect(() => syslog(extra)).toThrow(
        expect.objectContaining({ code: 'SVC_ERR_CEF_INVALID_VALUE' }),
      );
    }
  });
});

import { basename, extname, resolve } from 'node:path';

import type { Config } from '../config/config.js';
import { configFolder } from '../config/config-folder.js';
import { ConfigError } from '../errors/config-error.js';
import type { CefConfig } from './cef-event.js';
import { SYSLOG_FACILITIES, SYSLOG_OPTIONS, SYSLOG_PRIORITIES } from './syslog-codes.js';

const SECTION = 'cef';

/** Where syslog messages are sent. */
export type SyslogAddress =
  { transport: 'udp' | 'tcp'; host: string; port: number } | { transport: 'unix'; path: string };

export interface SyslogSettings {
  facility: number;
  priority: number;
  /** `ident`, or `ident[pid]` with the PID option. */
  tag: string;
  address: SyslogAddress;
}

/** The `[cef]` section, checked. */
export interface CefSettings {
  header: CefConfig;
  target: { kind: 'file'; path: string } | ({ kind: 'syslog' } & SyslogSettings);
}

const DEFAULT_ADDRESS: SyslogAddress = { transport: 'unix', path: '/dev/log' };
const DEFAULT_SYSLOG_PORT = 514;

/**
 * Reads `[cef]`. `undefined` means CEF is off: there is no `[cef]` section, or `use = false`.
 * Every mistake is a `ConfigError` pointing at the key, or at the section for a missing key.
 */
export function readCefConfig(config: Config): CefSettings | undefined {
  if (!config.hasSection(SECTION)) return undefined;
  if (!config.getBoolean(SECTION, 'use', true)) return undefined;

  const header: CefConfig = {
    vendor: required(config, 'vendor'),
    product: required(config, 'product'),
    version: required(config, 'version'),
    deviceVersion: required(config, 'device_version'),
  };
  const file = required(config, 'file');
  if (file === 'syslog') return { header, target: { kind: 'syslog', ...readSyslog(config) } };
  return { header, target: { kind: 'file', path: resolveFile(config, file) } };
}

function required(config: Config, option: string): string {
  const value = config.getString(SECTION, option);
  if (value !== undefined && value !== '') return value;
  throw new ConfigError(
    'SVC_ERR_CEF_MISSING_KEY',
    `[${SECTION}] ${option} is required when CEF logging is on (set it, or set use = false)`,
    config.locate(SECTION),
  );
}

// a relative path is taken from the directory of the file the key was written in
function resolveFile(config: Config, file: string): string {
  const written = config.locate(SECTION, 'file').file ?? config.file;
  return resolve(configFolder(written), file);
}

function readSyslog(config: Config): SyslogSettings {
  const facility = lookup(config, 'syslog.facility', 'LOCAL4', SYSLOG_FACILITIES);
  const priority = lookup(config, 'syslog.priority', 'INFO', SYSLOG_PRIORITIES);
  const ident = config.getString(SECTION, 'syslog.ident') ?? processName();
  const options = readOptions(config);
  const tag = sanitizeTag(ident) + (options.has('PID') ? `[${process.pid}]` : '');
  return { facility, priority, tag, address: readAddress(config) };
}

function lookup(
  config: Config,
  option: string,
  fallback: string,
  table: Readonly<Record<string, number>>,
): number {
  const name = config.getString(SECTION, option, fallback);
  const code = table[name.toUpperCase().replace(/^LOG_/, '')];
  if (code !== undefined) return code;
  invalid(config, option, `${JSON.stringify(name)} is not one of ${Object.keys(table).join(', ')}`);
}

function readOptions(config: Config): Set<string> {
  const names = config
    .getList(SECTION, 'syslog.options')
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim().toUpperCase().replace(/^LOG_/, ''))
    .filter((item) => item !== '');
  for (const name of names) {
    if (!SYSLOG_OPTIONS.has(name)) {
      invalid(
        config,
        'syslog.options',
        `${JSON.stringify(name)} is not one of ${[...SYSLOG_OPTIONS].join(', ')}`,
      );
    }
  }
  return new Set(names);
}

function readAddress(config: Config): SyslogAddress {
  const text = config.getString(SECTION, 'syslog.address');
  if (text === undefined || text === '') return DEFAULT_ADDRESS;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { transport: 'unix', path: text };
  if (scheme !== 'udp' && scheme !== 'tcp') {
    invalid(
      config,
      'syslog.address',
      `use udp://host:port, tcp://host:port or a socket path, not ${JSON.stringify(text)}`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    invalid(config, 'syslog.address', `${JSON.stringify(text)} is not a valid address`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '' || url.pathname !== '' || url.search !== '') {
    invalid(config, 'syslog.address', `${JSON.stringify(text)} must be ${scheme}://host:port`);
  }
  const port = url.port === '' ? DEFAULT_SYSLOG_PORT : Number(url.port);
  return { transport: scheme, host, port };
}

function invalid(config: Config, option: string, problem: string): never {
  throw new ConfigError(
    'SVC_ERR_CEF_INVALID_VALUE',
    `[${SECTION}] ${option}: ${problem}`,
    config.locate(SECTION, option),
  );
}

// the legacy default was argv[0]; for Node that is the script being run
function processName(): string {
  const script = process.argv[1];
  if (script === undefined) return process.title;
  return basename(script, extname(script)) || process.title;
}

// RFC 3164 section 4.1.3: the tag is printable ASCII without spaces; the rest of the message
// starts at the first character that cannot be part of it
function sanitizeTag(ident: string): string {
  const tag = ident.replace(/[^\x21-\x7e]|[[\]:]/g, '_').slice(0, 32);
  return tag === '' ? 'node' : tag;
}

import { ConfigError } from '../errors/config-error.js';
import type { Config } from '../config/config.js';
import { secondsToMilliseconds } from '../config/seconds.js';

export type AccessFormat = 'combined' | 'json';

/**
 * The `[global]`, `[server]` and `[logging]` keys the service app reads, once, from the base
 * configuration. Host sections (`[host:NAME]`) change what controllers see through `ctx.config`,
 * never these: the pages, limits and proxy rules are the same for every Host header.
 */
export interface AppSettings {
  retryAfter: number;
  heartbeatPage: string;
  heartbeatTimeout: number;
  debug: boolean;
  debugPage: string | undefined;
  debugPagePublic: boolean;
  clientDebug: boolean;
  profile: boolean;
  timestampHeader: string;
  trustProxy: boolean;
  proxyCount: number;
  versionFile: string;
  packageFile: string | undefined;
  bodyLimit: string;
  accessLog: boolean;
  accessFormat: AccessFormat;
}

/** Reads the app's settings, refusing values it cannot use with the file and line of the key. */
export function readAppSettings(config: Config): AppSettings {
  const debug = config.getBoolean('global', 'debug', false);

  return {
    retryAfter: nonNegative(config, 'global', 'retry_after', 1800),
    heartbeatPage: pagePath(config, 'heartbeat_page', '__heartbeat__'),
    heartbeatTimeout: heartbeatTimeout(config),
    debug,
    debugPage: optionalPagePath(config, 'debug_page'),
    debugPagePublic: config.getBoolean('global', 'debug_page_public', false),
    clientDebug: config.getBoolean('global', 'client_debug', false),
    profile: config.getBoolean('global', 'profile', false),
    timestampHeader: config.getString('global', 'timestamp_header', 'X-Weave-Timestamp'),
    trustProxy: config.getBoolean('global', 'trust_proxy', false),
    proxyCount: proxyCount(config),
    versionFile: config.getString('global', 'version_file', 'version.json'),
    packageFile: config.getString('global', 'package_file'),
    bodyLimit: bodyLimit(config),
    accessLog: debug || config.getBoolean('logging', 'access_log', false),
    accessFormat: accessFormat(config),
  };
}

function nonNegative(config: Config, section: string, option: string, fallback: number): number {
  const value = config.getInteger(section, option, fallback);
  if (value < 0) invalid(config, section, option, 'must be 0 or more');
  return value;
}

function heartbeatTimeout(config: Config): number {
  const milliseconds = secondsToMilliseconds(config.get('global', 'heartbeat_timeout') ?? 5);
  if (milliseconds === undefined || milliseconds === 0) {
    invalid(config, 'global', 'heartbeat_timeout', 'must be a positive number of seconds');
  }
  return milliseconds;
}

function proxyCount(config: Config): number {
  const value = config.getInteger('global', 'proxy_count', 1);
  if (value < 1) invalid(config, 'global', 'proxy_count', 'must be 1 or more');
  return value;
}

function bodyLimit(config: Config): string {
  const value = String(config.get('server', 'body_limit') ?? '1mb');
  if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(value)) {
    invalid(config, 'server', 'body_limit', 'must be a size such as 100kb or 1mb');
  }
  return value;
}

function accessFormat(config: Config): AccessFormat {
  const value = config.getString('logging', 'access_format', 'combined');
  if (value !== 'combined' && value !== 'json') {
    invalid(config, 'logging', 'access_format', 'must be combined or json');
  }
  return value;
}

function pagePath(config: Config, option: string, fallback: string): string {
  return optionalPagePath(config, option) ?? fallback;
}

function optionalPagePath(config: Config, option: string): string | undefined {
  const value = config.getString('global', option);
  if (value === undefined || value === '') return undefined;

  // written without the leading slash, as in the legacy config; one is tolerated
  const path = value.replace(/^\/+/, '');
  if (path === '' || /[\s?#]/.test(path) || path.endsWith('/')) {
    invalid(config, 'global', option, 'must be a path such as __debug__');
  }
  return path;
}

function invalid(config: Config, section: string, option: string, reason: string): never {
  const value = JSON.stringify(config.get(section, option));
  throw new ConfigError(
    'SVC_ERR_APP_INVALID_SETTING',
    `[${section}] ${option} ${reason}, got ${value}`,
    config.locate(section, option),
  );
}

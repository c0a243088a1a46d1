import type { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';

const DECIMAL_PATTERN = /^[0-9]+(\.[0-9]+)?$/;

/**
 * A duration written in seconds, returned in milliseconds. The config reader types only integers,
 * so `1.0` or `0.5` arrive as strings; both forms are accepted. Negative values and anything else
 * are refused with the file and line of the key.
 */
export function readSeconds(
  config: Config,
  section: string,
  option: string,
  fallbackSeconds: number,
): number {
  const value = config.get(section, option);
  if (value === undefined) return fallbackSeconds * 1000;
  if (typeof value === 'number' && value >= 0) return value * 1000;
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) {
    return Math.round(Number(value) * 1000);
  }
  throw invalidSetting(config, section, option, 'must be a number of seconds, 0 or more');
}

/** A `ConfigError` for a serving key whose value the server cannot use. */
export function invalidSetting(
  config: Config,
  section: string,
  option: string,
  reason: string,
): ConfigError {
  const value = JSON.stringify(config.get(section, option));
  return new ConfigError(
    'SVC_ERR_SERVE_INVALID_SETTING',
    `[${section}] ${option} ${reason}, got ${value}`,
    config.locate(section, option),
  );
}

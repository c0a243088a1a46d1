import type { Config } from '../config/config.js';
import { secondsToMilliseconds } from '../config/seconds.js';
import { ConfigError } from '../errors/config-error.js';

/**
 * A `[server]` or shutdown duration in milliseconds (see `secondsToMilliseconds`); a value that is
 * not 0 or more seconds is refused with the file and line of the key.
 */
export function readSeconds(
  config: Config,
  section: string,
  option: string,
  fallbackSeconds: number,
): number {
  const value = config.get(section, option);
  if (value === undefined) return fallbackSeconds * 1000;
  const milliseconds = secondsToMilliseconds(value);
  if (milliseconds !== undefined) return milliseconds;
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

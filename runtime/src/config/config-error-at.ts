import { ConfigError, type ConfigErrorLocation } from '../errors/config-error.js';

/**
 * Builds a ConfigError for a place in a configuration. Text handed to `parseConfig` without a
 * file name has no file to print, so the line number goes into the message instead.
 */
export function configErrorAt(
  code: string,
  message: string,
  location: ConfigErrorLocation,
  cause?: unknown,
): ConfigError {
  const text =
    location.file === undefined && location.line !== undefined
      ? `line ${location.line}: ${message}`
      : message;
  return new ConfigError(code, text, location, cause === undefined ? {} : { cause });
}

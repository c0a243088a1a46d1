import { ConfigError } from '../errors/config-error.js';
import type { Config } from '../config/config.js';
import { createLogger, severities, type Level, type Logger } from '../log/logger.js';

/**
 * The operational logger `[logging]` describes: `format = mozlog` (default) or `text`, `level`
 * (default `info`), `name` (mozlog's `Logger` field, default `services-runtime`), written to
 * standard output.
 */
export function loggerFromConfig(config: Config): Logger {
  const format = config.getString('logging', 'format', 'mozlog');
  if (format !== 'mozlog' && format !== 'text') invalid(config, 'format', 'must be mozlog or text');

  const level = config.getString('logging', 'level', 'info');
  if (!Object.hasOwn(severities, level)) {
    invalid(config, 'level', `must be one of ${Object.keys(severities).join(', ')}`);
  }

  const name = config.getString('logging', 'name', 'services-runtime');
  return createLogger({ name, stream: process.stdout, format, level: level as Level });
}

function invalid(config: Config, option: string, reason: string): never {
  throw new ConfigError(
    'SVC_ERR_APP_INVALID_SETTING',
    `[logging] ${option} ${reason}, got ${JSON.stringify(config.get('logging', option))}`,
    config.locate('logging', option),
  );
}

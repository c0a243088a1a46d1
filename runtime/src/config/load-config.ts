import type { Config } from './config.js';
import type { ConfigEnv } from './interpolate.js';
import { parseConfig } from './parse-config.js';
import { readConfigFile } from './read-config-file.js';

export interface LoadConfigOptions {
  /** Variables for `${NAME}`; `process.env` by default. */
  env?: ConfigEnv | undefined;
}

/**
 * Reads a configuration file, following `extends` (relative to each including file, recursively;
 * the including file wins). A missing main file is `SVC_ERR_CONFIG_NOT_FOUND`; every other
 * mistake is a `ConfigError` naming the file and line, as with `parseConfig`.
 *
 * ```ts
 * const config = loadConfig('etc/app.ini');
 * config.getInteger('server', 'port', 8000);
 * ```
 */
export function loadConfig(path: string, options: LoadConfigOptions = {}): Config {
  const text = readConfigFile(path, {
    missingCode: 'SVC_ERR_CONFIG_NOT_FOUND',
    unreadableCode: 'SVC_ERR_CONFIG_UNREADABLE',
    location: { file: path },
    describe: 'the configuration file',
  });
  return parseConfig(text, { filename: path, env: options.env });
}

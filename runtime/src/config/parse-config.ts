import { Config } from './config.js';
import { configFolder } from './config-folder.js';
import { rootLink } from './extends.js';
import { materialize } from './layer.js';
import type { ConfigEnv } from './interpolate.js';
import { readTextLayer } from './read-layer.js';

export interface ParseConfigOptions {
  /** The file the text came from: named in errors, and the base of `%(here)s` and `extends`. */
  filename?: string | undefined;
  /** Variables for `${NAME}`; `process.env` by default. */
  env?: ConfigEnv | undefined;
}

/**
 * Reads configuration text in the runtime's extended INI format (see docs/config.md) into a
 * `Config`. Every value that counts is converted here, so every mistake, from a malformed line to
 * an unset `${VARIABLE}`, is a `ConfigError` raised here with its code, file and line. An `extends` in
 * `[DEFAULT]` is followed relative to `filename`'s folder, or the working directory without one.
 *
 * ```ts
 * const config = parseConfig('[server]\nport = ${PORT:-8000}\n', { env: {} });
 * config.get('server', 'port'); // 8000
 * ```
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): Config {
  const file = options.filename;
  const root = configFolder(file);
  const session = { env: options.env ?? process.env, root, cache: new Map() };
  const chain = file === undefined ? [] : [rootLink(file)];
  const layer = readTextLayer(text, file, chain, session);
  return new Config(materialize(layer), { file, headers: layer.headers });
}

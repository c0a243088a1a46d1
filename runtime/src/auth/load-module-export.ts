import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config/config.js';
import { configFolder } from '../config/config-folder.js';
import { ConfigError } from '../errors/config-error.js';
import { errorMessage } from '../errors/error-message.js';

/**
 * Imports the export named by a `./path/to/module.js#ExportName` value of `[auth] <key>`. A path
 * starting with `.` is relative to the configuration file's directory (the working directory when
 * the configuration has no file); a bare name is imported as a package. Without `#Name`, the
 * default export is used. A module that cannot be loaded or lacks the export is a `ConfigError`
 * pointing at the key.
 */
export async function loadModuleExport(
  config: Config,
  key: string,
  spec: string,
): Promise<unknown> {
  const location = config.locate('auth', key);
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const name = hash === -1 ? 'default' : spec.slice(hash + 1);

  // import
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(moduleUrl(config, path))) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      'SVC_ERR_AUTH_MODULE_LOAD',
      `[auth] ${key} = ${spec}: cannot load module "${path}": ${errorMessage(error)}`,
      location,
      { cause: error },
    );
  }

  // export
  const value = namespace[name];
  if (value === undefined) {
    const available = Object.keys(namespace).join(', ') || 'none';
    throw new ConfigError(
      'SVC_ERR_AUTH_MISSING_EXPORT',
      `[auth] ${key} = ${spec}: module "${path}" has no export "${name}" (exports: ${available})`,
      location,
    );
  }
  return value;
}

/**
 * Builds what an export describes: a class is constructed with `new`, any other function is called
 * as a factory (which may return a promise).
 */
export async function instantiate(value: unknown, ...args: unknown[]): Promise<unknown> {
  if (typeof value !== 'function') return value;
  if (isClass(value as (...parameters: never[]) => unknown))
    return new (value as new (...parameters: unknown[]) => unknown)(...args);
  return (value as (...parameters: unknown[]) => unknown)(...args);
}

/** True when a value looks like a module specifier rather than a built-in name. */
export function isModuleSpec(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || spec.includes('#') || spec.includes('/');
}

function moduleUrl(config: Config, path: string): string {
  if (!path.startsWith('.') && !isAbsolute(path)) return path;
  return pathToFileURL(resolve(configFolder(config.file), path)).href;
}

function isClass(value: (...parameters: never[]) => unknown): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Middleware } from 'koa';
import type { Logger } from '../log/logger.js';

export interface VersionSource {
  /** `global.version_file`, relative to `cwd`. */
  versionFile: string;
  /** `global.package_file`; found upwards from `cwd` when unset. */
  packageFile: string | undefined;
  cwd: string;
  logger: Logger;
}

export type VersionInfo = Record<string, unknown> | undefined;

/**
 * Reads what `/__version__` shows, once, at startup: the Dockerflow `version.json` when there is
 * one, else `{ name, version }` from the service's package.json. `source`, `commit` and `build`
 * are copied when present. `undefined` when neither file can be read (the page answers 404).
 */
export function readVersionInfo({
  versionFile,
  packageFile,
  cwd,
  logger,
}: VersionSource): VersionInfo {
  const versionPath = resolve(cwd, versionFile);
  if (existsSync(versionPath)) {
    const parsed = readJson(versionPath, logger);
    if (parsed !== undefined) return parsed;
  }

  const packagePath = packageFile === undefined ? findPackageFile(cwd) : resolve(cwd, packageFile);
  const manifest = packagePath === undefined ? undefined : readJson(packagePath, logger);
  if (manifest === undefined) return undefined;

  const info: Record<string, unknown> = { name: manifest['name'], version: manifest['version'] };
  for (const key of ['source', 'commit', 'build']) {
    if (manifest[key] !== undefined) info[key] = manifest[key];
  }
  return info;
}

/** `GET`/`HEAD /__version__`, answering the info read at startup. */
export function versionPage(info: VersionInfo): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/__version__' || (ctx.method !== 'GET' && ctx.method !== 'HEAD'))
      return next();
    if (info === undefined) return next();
    ctx.body = info;
  };
}

function readJson(path: string, logger: Logger): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    logger.warn('app.version_file_invalid', { path, reason: 'not a JSON object' });
  } catch (error) {
    logger.warn('app.version_file_invalid', { path, reason: (error as Error).message });
  }
  return undefined;
}

function findPackageFile(start: string): string | undefined {
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

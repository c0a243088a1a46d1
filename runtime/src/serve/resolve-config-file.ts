import { resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.js';

export interface ResolveConfigFileOptions {
  /** Command-line arguments to search; default `process.argv`. */
  argv?: readonly string[] | undefined;
  /** Environment; default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** The service's own default, usually `etc/<name>.ini`. */
  fallback: string;
}

/**
 * The configuration file a service should read: `--config PATH` (or `--config=PATH`) on the
 * command line, else the `SERVICES_CONFIG` environment variable, else `fallback`. The result is
 * an absolute path (relative ones are taken from the working directory), so workers forked later
 * read the same file. `--config` without a path is `SVC_ERR_SERVE_CONFIG_ARGUMENT`.
 *
 * ```ts
 * const configFile = resolveConfigFile({ fallback: 'etc/my-service.ini' });
 * ```
 */
export function resolveConfigFile(options: ResolveConfigFileOptions): string {
  const argv = options.argv ?? process.argv;
  const env = options.env ?? process.env;

  const fromArgv = configArgument(argv);
  if (fromArgv !== undefined) return resolve(fromArgv);
  const fromEnv = env.SERVICES_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return resolve(options.fallback);
}

function configArgument(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') break;
    if (argument === '--config') {
      found = argv[index + 1];
      if (found === undefined || found === '' || found.startsWith('--')) missingPath();
      index++;
    } else if (argument.startsWith('--config=')) {
      found = argument.slice('--config='.length);
      if (found === '') missingPath();
    }
  }
  return found;
}

function missingPath(): never {
  throw new ConfigError(
    'SVC_ERR_SERVE_CONFIG_ARGUMENT',
    '--config needs a path: --config etc/my-service.ini',
  );
}

import { createLogger } from '../log/logger.js';
import { ConfigError } from '../errors/config-error.js';
import { errorCode, errorMessage } from '../errors/error-message.js';
import { serve } from './serve.js';
import type { RunningServer, ServeOptions } from './serve-options.js';

/**
 * `serve()` for a program whose only job is serving (a service's `src/main.ts`): a start-up error
 * is logged as `server.start.failed` with its code, message and file:line, and the process exits
 * with status 1 instead of leaving a rejected promise behind. In a cluster worker the same line
 * is written by the worker, and the primary names the cause if workers keep failing.
 *
 * ```ts
 * await runService({ configFile: resolveConfigFile({ fallback: 'etc/my-service.ini' }), routes, controllers });
 * ```
 */
export async function runService(options: ServeOptions): Promise<RunningServer> {
  try {
    return await serve(options);
  } catch (error) {
    // the configured logger may be what failed to build, so fall back to the default format
    const logger =
      options.logger ?? createLogger({ name: 'services-runtime', stream: process.stdout });
    logger.error('server.start.failed', {
      code: errorCode(error),
      message: errorMessage(error),
      file: error instanceof ConfigError ? error.file : undefined,
      line: error instanceof ConfigError ? error.line : undefined,
    });
    process.exit(1);
  }
}

import cluster from 'node:cluster';
import { createApp } from '../app/create-app.js';
import { loggerFromConfig } from '../app/logger-from-config.js';
import { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { ServiceError } from '../errors/service-error.js';
import { serveCluster } from './cluster-primary.js';
import { errorCode, errorMessage } from '../errors/error-message.js';
import type { RunningServer, ServeOptions } from './serve-options.js';
import { readServerSettings } from './server-settings.js';
import { readShutdownSettings } from './shutdown-settings.js';
import { serveSingleProcess } from './single-process.js';
import { STARTUP_FAILED, type StartupFailedMessage } from './worker-messages.js';

/**
 * Serves a service: reads the configuration, builds the app with `createApp`, waits for
 * `app.ready()` and listens on `[server] host` (default 127.0.0.1) and `port` (default 8000).
 * A start-up error (a bad config, a broken route table, a backend that cannot initialise, a port
 * in use) rejects, before any request is answered.
 *
 * With `workers` (or `[server] workers`) of 2 or more, this process becomes a `node:cluster`
 * primary: it checks the configuration, forks the workers, which run the same program and so call
 * `serve()` again, and resolves once all of them listen. Signals: SIGTERM and SIGINT run the
 * legacy two-phase shutdown and exit (see docs/serving.md); SIGHUP replaces the workers one at a
 * time and is ignored by a single process.
 *
 * ```ts
 * const server = await serve({
 *   configFile: resolveConfigFile({ fallback: 'etc/my-service.ini' }),
 *   routes,
 *   controllers,
 * });
 * ```
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  if (cluster.isWorker) return serveAsWorker(options);

  const config = readConfig(options);
  const logger = options.logger ?? loggerFromConfig(config);
  const settings = readServerSettings(config);
  const shutdown = readShutdownSettings(config);
  const workers = workerCount(options.workers, settings.workers);
  const signals = options.signals ?? true;

  if (workers >= 2) {
    const checkConfig = (): void => {
      const fresh = readConfig(options);
      readServerSettings(fresh);
      readShutdownSettings(fresh);
    };
    return serveCluster({ workers, settings, shutdown, logger, signals, checkConfig });
  }

  const app = createApp({ ...appOptions(options), config, logger });
  return serveSingleProcess({ app, settings, shutdown, logger, signals, worker: false });
}

/** A cluster worker serves alone; a start-up error is reported to the primary before rejecting. */
async function serveAsWorker(options: ServeOptions): Promise<RunningServer> {
  try {
    const config = readConfig(options);
    const logger = options.logger ?? loggerFromConfig(config);
    const app = createApp({ ...appOptions(options), config, logger });
    return await serveSingleProcess({
      app,
      settings: readServerSettings(config),
      shutdown: readShutdownSettings(config),
      logger,
      signals: options.signals ?? true,
      worker: true,
    });
  } catch (error) {
    await tellPrimary({
      type: STARTUP_FAILED,
      code: errorCode(error),
      message: errorMessage(error),
    });
    throw error;
  }
}

function readConfig(options: ServeOptions): Config {
  if (options.config && options.configFile !== undefined) {
    throw new ServiceError('SVC_ERR_SERVE_OPTIONS', 'serve() takes config or configFile, not both');
  }
  if (options.config) return options.config;
  if (options.configFile !== undefined) return loadConfig(options.configFile);
  return Config.fromObject({});
}

function workerCount(option: number | undefined, configured: number): number {
  const workers = option ?? configured;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ServiceError('SVC_ERR_SERVE_OPTIONS', `workers must be 1 or more, got ${workers}`);
  }
  return workers;
}

function appOptions(options: ServeOptions): Omit<Parameters<typeof createApp>[0], 'config'> {
  const { routes, controllers, authenticator } = options;
  return { routes, controllers, authenticator };
}

function tellPrimary(message: StartupFailedMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

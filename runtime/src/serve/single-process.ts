import type { Logger } from '../log/logger.js';
import { createHttpServer } from './create-http-server.js';
import { errorMessage } from '../errors/error-message.js';
import { listen } from './listen.js';
import type { RunningServer } from './serve-options.js';
import type { ServerSettings } from './server-settings.js';
import type { ServingApp } from './serving-app.js';
import type { ShutdownSettings } from './shutdown-settings.js';
import { installSignalHandlers, type SignalName } from './signal-handlers.js';
import { stopServer, type StopPlan, type StopResult } from './stop-server.js';
import { isRetireMessage } from './worker-messages.js';

export interface SingleProcessOptions {
  app: ServingApp;
  settings: ServerSettings;
  shutdown: ShutdownSettings;
  logger: Logger;
  /** Install signal handlers (when `shutdown.clean` also allows them). */
  signals: boolean;
  /** Running as a cluster worker: SIGHUP belongs to the primary, which retires workers over IPC. */
  worker: boolean;
}

/**
 * Serves the app from this process: waits for `app.ready()`, listens, and installs the shutdown
 * handlers. SIGTERM and SIGINT run the legacy phases and exit (0, or 1 when requests had to be
 * cut off at the drain timeout). SIGHUP is logged and ignored: reloading needs workers to replace.
 */
export async function serveSingleProcess(options: SingleProcessOptions): Promise<RunningServer> {
  const { app, settings, logger } = options;
  await app.ready();

  const { server, connections } = createHttpServer(app, settings);
  let stopping: Promise<StopResult> | undefined;
  const stop = (plan: StopPlan): Promise<StopResult> => {
    stopping ??= stopServer({ app, server, connections, logger }, plan);
    return stopping;
  };

  // installed before listening, so that a signal sent as soon as the port answers is handled
  const uninstall = installHandlers(options, stop);
  const address = await listen(server, settings.host, settings.port).catch(async (error) => {
    uninstall();
    await app.close().catch(() => {});
    throw error;
  });
  logger.info('server.listening', { address: address.address, port: address.port });

  return {
    address: address.address,
    port: address.port,
    async close() {
      uninstall();
      await stop({ drainTimeoutMs: settings.drainTimeoutMs });
    },
  };
}

function installHandlers(
  options: SingleProcessOptions,
  stop: (plan: StopPlan) => Promise<StopResult>,
): () => void {
  const { settings, shutdown, logger } = options;
  const removers: Array<() => void> = [];
  let signalled = false;

  const exitAfter = (result: Promise<StopResult>): void => {
    result.then(
      ({ abandoned }) => process.exit(abandoned > 0 ? 1 : 0),
      (error: unknown) => {
        logger.error('server.stop.failed', { message: errorMessage(error) });
        process.exit(1);
      },
    );
  };

  if (options.signals && shutdown.clean) {
    const onStop = (signal: SignalName): void => {
      if (signalled) {
        logger.info('server.signal.ignored', { signal, reason: 'already stopping' });
        return;
      }
      signalled = true;
      const phases = { drainingMs: shutdown.drainingMs, closingMs: shutdown.closingMs, signal };
      exitAfter(stop({ phases, drainTimeoutMs: settings.drainTimeoutMs }));
    };
    const onReload = (signal: SignalName): void => {
      // in a cluster the primary replaces workers; a lone process has nothing to swap in
      if (options.worker) logger.debug('server.signal.ignored', { signal, reason: 'worker' });
      else
        logger.info('server.reload.unsupported', { signal, reason: 'needs [server] workers >= 2' });
    };
    removers.push(installSignalHandlers({ SIGTERM: onStop, SIGINT: onStop, SIGHUP: onReload }));
  }

  if (options.worker) {
    const onMessage = (message: unknown): void => {
      if (!isRetireMessage(message) || signalled) return;
      signalled = true;
      logger.info('server.retiring', {});
      exitAfter(stop({ drainTimeoutMs: settings.drainTimeoutMs }));
    };
    process.on('message', onMessage);
    removers.push(() => process.off('message', onMessage));
  }

  return () => {
    for (const remove of removers) remove();
  };
}

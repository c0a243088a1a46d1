import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../errors/error-message.js';
import { drainServer } from './drain-server.js';
import type { ConnectionTracker } from './connection-tracker.js';
import type { ServingApp } from './serving-app.js';

export interface StopTarget {
  app: ServingApp;
  server: Server;
  connections: ConnectionTracker;
  logger: Logger;
}

export interface StopPlan {
  /** The legacy phases; left out when the server stops at once (`close()`, a rolling reload). */
  phases?: { drainingMs: number; closingMs: number; signal: string } | undefined;
  drainTimeoutMs: number;
}

export interface StopResult {
  /** Requests cut off at the drain timeout. 0 means every accepted request was answered. */
  abandoned: number;
}

/**
 * Stops a serving process. With `phases`, it first runs the legacy two phases: the heartbeat
 * fails for `drainingMs` so that a load balancer takes the process out of rotation while it still
 * serves, then every new request gets 503 for `closingMs`. Then the listening socket closes, the
 * requests in progress finish (for at most `drainTimeoutMs`) and the app is closed, which fires
 * `app-end`. Keep-alive ends as soon as stopping begins, so clients move to a fresh connection.
 */
export async function stopServer(target: StopTarget, plan: StopPlan): Promise<StopResult> {
  const { app, server, connections, logger } = target;

  if (plan.phases) {
    const { drainingMs, closingMs, signal } = plan.phases;
    connections.stopKeepAlive();

    // phase 1: the heartbeat fails, requests are still served
    logger.info('server.draining', { signal, interval_ms: drainingMs });
    app.beginDraining();
    await sleep(drainingMs);

    // phase 2: every new request gets 503
    logger.info('server.closing', { interval_ms: closingMs, in_flight: connections.inFlight });
    app.beginClosing();
    await sleep(closingMs);
  }

  const { abandoned } = await drainServer(server, connections, plan.drainTimeoutMs);
  if (abandoned > 0) {
    logger.warn('server.drain.timeout', { abandoned, drain_timeout_ms: plan.drainTimeoutMs });
  }
  await closeApp(app, logger);
  // with abandoned = 0, every request this process received was answered
  logger.info('server.stopped', { abandoned, requests: connections.received });
  return { abandoned };
}

async function closeApp(app: ServingApp, logger: Logger): Promise<void> {
  try {
    await app.close();
  } catch (error) {
    logger.error('server.app.close.failed', { message: errorMessage(error) });
  }
}

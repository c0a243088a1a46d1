import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestTracker } from './request-tracker.js';

export interface DrainResult {
  /** Requests still in progress when the drain timeout ran out; their sockets were destroyed. */
  abandoned: number;
}

/**
 * Stops accepting connections and lets the requests in progress finish, for at most `timeoutMs`.
 * Idle kept-alive sockets are closed at once; the others carry `Connection: close` on their last
 * response and close after it. Whatever is still open at the deadline is destroyed and counted.
 */
export async function drainServer(
  server: Server,
  requests: RequestTracker,
  timeoutMs: number,
): Promise<DrainResult> {
  const deadline = Date.now() + timeoutMs;
  requests.stopKeepAlive();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();

  const finished = await requests.idle(timeoutMs);
  const abandoned = finished ? 0 : requests.inFlight;

  // a socket between two requests is idle now; one still flushing its last response closes by
  // itself, so only what is left at the deadline (a client sending headers slowly) is destroyed
  server.closeIdleConnections();
  const settled = await Promise.race([
    closed.then(() => true),
    sleep(Math.max(0, deadline - Date.now()), false, { ref: false }),
  ]);
  if (!settled) {
    server.closeAllConnections();
    await closed;
  }
  return { abandoned };
}

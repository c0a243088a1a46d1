import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionTracker } from './connection-tracker.js';

export interface DrainResult {
  /** Requests still in progress when the drain timeout ran out; their sockets were destroyed. */
  abandoned: number;
}

// A kept-alive socket idle this long is closed. One in use sees its next response carry
// `Connection: close` instead; closing it while the client may be writing the next request would
// make that request fail (HTTP/1.1 has no way to warn the client first).
const IDLE_GRACE_MS = 1000;
const POLL_MS = 25;

/**
 * Stops accepting connections and lets the requests in progress finish, for at most `timeoutMs`.
 * Responses from now on close their sockets; sockets left idle are closed after a grace period;
 * whatever is still open at the deadline is destroyed, and its requests are counted as abandoned.
 */
export async function drainServer(
  server: Server,
  connections: ConnectionTracker,
  timeoutMs: number,
): Promise<DrainResult> {
  const deadline = Date.now() + timeoutMs;
  connections.stopKeepAlive();

  // net.Server's close stops listening only; http.Server's would also destroy idle kept-alive
  // sockets at once, which is the race described above
  const closed = new Promise<void>((resolve) =>
    NetServer.prototype.close.call(server, () => resolve()),
  );

  while (connections.open > 0 && Date.now() < deadline) {
    connections.closeIdle(IDLE_GRACE_MS);
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }

  const abandoned = connections.inFlight;
  connections.destroyAll();
  await closed;

  // releases the timer that enforces headers_timeout and request_timeout
  server.close();
  return { abandoned };
}

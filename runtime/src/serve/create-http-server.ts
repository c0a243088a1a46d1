import { createServer, type Server } from 'node:http';
import { ConnectionTracker } from './connection-tracker.js';
import type { ServerSettings } from './server-settings.js';
import type { ServingApp } from './serving-app.js';

export interface HttpServer {
  server: Server;
  connections: ConnectionTracker;
}

/** A `node:http` server for the app, with the `[server]` timeouts and limits applied. */
export function createHttpServer(app: ServingApp, settings: ServerSettings): HttpServer {
  const connections = new ConnectionTracker();
  const server = createServer(
    {
      maxHeaderSize: settings.maxHeaderSize,
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingInterval(settings),
    },
    connections.wrap(app.callback()),
  );
  server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
  connections.attach(server);
  return { server, connections };
}

/**
 * Node enforces `headersTimeout` and `requestTimeout` only when it sweeps its connections, every
 * 30 s by default, so a client trickling bytes would be held up to 30 s whatever the settings say.
 * Sweeping at a quarter of the shorter timeout keeps the overshoot small.
 */
function checkingInterval(settings: ServerSettings): number {
  const shorter = Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs || Infinity);
  return Math.min(30_000, Math.max(100, Math.floor(shorter / 4)));
}

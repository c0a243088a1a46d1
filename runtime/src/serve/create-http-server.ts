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
    },
    connections.wrap(app.callback()),
  );
  server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
  connections.attach(server);
  return { server, connections };
}

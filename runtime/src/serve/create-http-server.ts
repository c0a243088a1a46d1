import { createServer, type Server } from 'node:http';
import type { ServingApp } from './serving-app.js';
import { RequestTracker } from './request-tracker.js';
import type { ServerSettings } from './server-settings.js';

export interface HttpServer {
  server: Server;
  requests: RequestTracker;
}

/** A `node:http` server for the app, with the `[server]` timeouts and limits applied. */
export function createHttpServer(app: ServingApp, settings: ServerSettings): HttpServer {
  const requests = new RequestTracker();
  const server = createServer(
    {
      maxHeaderSize: settings.maxHeaderSize,
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
    },
    requests.wrap(app.callback()),
  );
  server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
  return { server, requests };
}

import { createServer, type Server } from 'node:http';
import type { ServiceApp } from '../app/service-app.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/** A running app on 127.0.0.1 for tests: `url(path)` and `close()`. */
export interface TestServer {
  server: Server;
  url(path: string): string;
  close(): Promise<void>;
}

/** Serves `app.callback()` on a real socket, on loopback and a free port. */
export async function startTestServer(app: ServiceApp): Promise<TestServer> {
  const server = createServer(app.callback());
  const port = await listenOnLoopback(server);

  return {
    server,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

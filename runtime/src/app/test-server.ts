import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceApp } from './service-app.js';

/** A running app on 127.0.0.1 for tests: `url(path)` and `close()`. */
export interface TestServer {
  server: Server;
  url(path: string): string;
  close(): Promise<void>;
}

/** Serves `app.callback()` on a real socket, on loopback and a free port. */
export async function startTestServer(app: ServiceApp): Promise<TestServer> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

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

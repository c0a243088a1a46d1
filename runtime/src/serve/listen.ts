import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ServiceError } from '../errors/service-error.js';

/** Starts listening; a port in use or a forbidden address becomes `SVC_ERR_SERVE_LISTEN`. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(
        new ServiceError(
          'SVC_ERR_SERVE_LISTEN',
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}` +
            (error.code === 'EADDRINUSE'
              ? ' (another process uses the port; set [server] port)'
              : ''),
          { cause: error },
        ),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface SocketState {
  /** Requests on this socket whose response has not closed yet. */
  busy: number;
  /** When the socket last connected or finished a response (ms since the epoch). */
  lastActive: number;
}

/**
 * Knows every open socket of a server, whether it is answering a request, and since when it has
 * been idle. Stopping a server needs all three: requests in progress must finish, a socket that a
 * client is about to reuse must not be cut under it, and a socket nobody uses can go.
 */
export class ConnectionTracker {
  readonly #sockets = new Map<Socket, SocketState>();
  readonly #responses = new Set<ServerResponse>();
  #received = 0;
  #keepAlive = true;

  /** Follows the server's connections from now on. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.#sockets.set(socket, { busy: 0, lastActive: Date.now() });
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Wraps a request handler so that each request is counted until its response closes. */
  wrap(
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ): (request: IncomingMessage, response: ServerResponse) => void {
    return (request, response) => {
      const state = this.#sockets.get(request.socket);
      this.#received++;
      this.#responses.add(response);
      if (state) state.busy++;
      response.once('close', () => {
        this.#responses.delete(response);
        if (state) {
          state.busy--;
          state.lastActive = Date.now();
        }
      });
      // without this a response in progress would still promise keep-alive, and its socket would
      // stay open until the keep-alive timer ran out
      if (!this.#keepAlive) response.shouldKeepAlive = false;
      handler(request, response);
    };
  }

  /** Requests received whose response has not closed. */
  get inFlight(): number {
    return this.#responses.size;
  }

  /** Requests received since the server started. */
  get received(): number {
    return this.#received;
  }

  /** Sockets still open. */
  get open(): number {
    return this.#sockets.size;
  }

  /**
   * From now on every response carries `Connection: close` and its socket closes after it; so do
   * the responses in progress whose headers have not gone out yet.
   */
  stopKeepAlive(): void {
    this.#keepAlive = false;
    for (const response of this.#responses) {
      if (!response.headersSent) response.shouldKeepAlive = false;
    }
  }

  /** Destroys the sockets that have been idle for at least `idleMs`. */
  closeIdle(idleMs: number, now = Date.now()): void {
    for (const [socket, state] of this.#sockets) {
      if (state.busy === 0 && now - state.lastActive >= idleMs) socket.destroy();
    }
  }

  /** Destroys every socket, busy or not. */
  destroyAll(): void {
    for (const socket of this.#sockets.keys()) socket.destroy();
  }
}

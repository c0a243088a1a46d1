import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Counts the requests a server is answering, and stops keep-alive once the server is stopping:
 * without that, a response to a request in progress would promise `Connection: keep-alive` and
 * the socket would stay open after `server.close()` until its keep-alive timer ran out.
 */
export class RequestTracker {
  #inFlight = 0;
  #keepAlive = true;
  #idleWaiters: Array<() => void> = [];

  /** Requests received whose response has not finished (or whose socket has not closed). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Wraps a request handler so that each request is counted until its response closes. */
  wrap(
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ): (request: IncomingMessage, response: ServerResponse) => void {
    return (request, response) => {
      this.#inFlight++;
      response.once('close', () => this.#finished());
      if (!this.#keepAlive) response.shouldKeepAlive = false;
      handler(request, response);
    };
  }

  /** From now on every response carries `Connection: close` and its socket closes after it. */
  stopKeepAlive(): void {
    this.#keepAlive = false;
  }

  /** Resolves when no request is in progress, or with `false` after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#idleWaiters.push(done);
    });
  }

  #finished(): void {
    this.#inFlight--;
    if (this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

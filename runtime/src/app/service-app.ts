import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Context } from 'koa';
import type { Authenticator } from '../auth/types.js';
import type { CefLogger } from '../cef/cef-event.js';
import type { Config } from '../config/config.js';
import { errorMessage } from '../errors/error-message.js';
import type { Logger } from '../log/logger.js';
import type { AppSettings } from './app-settings.js';
import { CLOSING_RETRY_AFTER } from '../middleware/closing-gate.js';
import { HealthChecks, type HealthCheck, type HealthCheckOptions } from './health-checks.js';

/** Where the app is in a planned shutdown; `serve()` moves it forward. */
export type ShutdownPhase = 'running' | 'draining' | 'closing';

/** The events a `ServiceApp` emits, with their arguments. */
export interface ServiceAppEvents {
  /** A request arrived (before anything else runs). */
  'request-start': [ctx: Context];
  /** The answer's status is decided, errors included. */
  'request-end': [ctx: Context];
  /** `close()` has released everything; fired once. */
  'app-end': [];
}

/** The parts `createApp` builds before handing them to the app. */
export interface ServiceAppParts {
  koa: Koa;
  config: Config;
  logger: Logger;
  settings: AppSettings;
  cef: CefLogger | undefined;
}

type Cleanup = () => Promise<void> | void;

/**
 * A service: a Koa app with its routes, pages and middlewares, plus what the server drives from
 * outside (readiness, shutdown phases, the count of requests in progress) and what the heartbeat
 * reports (named checks). Built by `createApp`; see there for the options.
 *
 * ```ts
 * const app = createApp({ config, routes, controllers });
 * app.on('request-end', (ctx) => metrics.count(ctx.status));
 * const server = await app.listen(8000, '127.0.0.1');
 * ```
 */
export class ServiceApp extends EventEmitter<ServiceAppEvents> {
  /** The Koa instance, for middlewares of the service's own (added after the runtime's). */
  readonly koa: Koa;
  /** The base configuration (requests see `config.forHost(host)` as `ctx.config`). */
  readonly config: Config;
  readonly logger: Logger;
  readonly settings: AppSettings;
  readonly cefLogger: CefLogger | undefined;
  readonly shutdown: { phase: ShutdownPhase } = { phase: 'running' };

  readonly #checks: HealthChecks;
  readonly #cleanups: Cleanup[] = [];
  #authenticator: Authenticator | undefined;
  #inFlight = 0;
  #initialised = false;
  #ready: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(parts: ServiceAppParts) {
    super();
    this.koa = parts.koa;
    this.config = parts.config;
    this.logger = parts.logger;
    this.settings = parts.settings;
    this.cefLogger = parts.cef;
    this.#checks = new HealthChecks(parts.settings.heartbeatTimeout);
  }

  /** The requests in progress: accepted and not yet answered (or aborted). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The authenticator, once `ready()` has resolved (or when one was given to `createApp`). */
  get authenticator(): Authenticator | undefined {
    return this.#authenticator;
  }

  get checks(): HealthChecks {
    return this.#checks;
  }

  /**
   * Registers a heartbeat check under `name`: `check` resolves when the dependency can serve and
   * rejects (or exceeds `timeout` ms, default `global.heartbeat_timeout`) when it cannot.
   */
  addCheck(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    this.#checks.add(name, check, options);
    return this;
  }

  /** Resolves when asynchronous initialisation has finished; rejects with the startup error. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** A Node request handler. Requests that arrive before `ready()` resolves wait for it. */
  callback(): (request: IncomingMessage, response: ServerResponse) => void {
    const handle = this.koa.callback();
    return (request, response) => {
      this.#track(response);
      if (this.#initialised) {
        void handle(request, response);
        return;
      }
      this.#ready.then(
        () => handle(request, response),
        () => refuseUnready(response),
      );
    };
  }

  /** Waits for `ready()`, then listens on `port` (0 for any) and `host`. */
  async listen(port: number, host?: string): Promise<Server> {
    await this.ready();
    const server = createServer(this.callback());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  /** Shutdown phase 1: the heartbeat answers 503, other requests are served. */
  beginDraining(): void {
    if (this.shutdown.phase === 'running') this.shutdown.phase = 'draining';
  }

  /** Shutdown phase 2: every new request answers 503 with `Retry-After` and `Connection: close`. */
  beginClosing(): void {
    this.shutdown.phase = 'closing';
  }

  /** Closes the authenticator, the CEF logger and the profiler, then fires `app-end`. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  /** Sets the asynchronous initialisation `ready()` reports; called once by `createApp`. */
  initialise(task: () => Promise<Authenticator | undefined>): void {
    this.#ready = task().then((authenticator) => {
      this.#authenticator = authenticator;
      this.#initialised = true;
    });
    this.#ready.catch((error: unknown) => {
      this.logger.error('app.startup_failed', { error: errorMessage(error) });
    });
  }

  /** Adds a step to `close()`; steps run in the reverse order of their registration. */
  onClose(cleanup: Cleanup): void {
    this.#cleanups.push(cleanup);
  }

  /** Fires an event, logging (never propagating) a failing handler. */
  notify<K extends keyof ServiceAppEvents>(event: K, ...args: ServiceAppEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: ServiceAppEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.logger.error('app.event_failed', { event, error: errorMessage(error) });
    }
  }

  #track(response: ServerResponse): void {
    this.#inFlight += 1;
    response.once('close', () => {
      this.#inFlight -= 1;
    });
  }

  async #closeOnce(): Promise<void> {
    await this.#ready.catch(() => undefined);

    const steps: Cleanup[] = [
      ...[...this.#cleanups].reverse(),
      () => this.#authenticator?.close?.(),
      () => this.cefLogger?.close(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.error('app.close_failed', { error: errorMessage(error) });
      }
    }

    this.notify('app-end');
  }
}

function refuseUnready(response: ServerResponse): void {
  response.statusCode = 503;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Retry-After', String(CLOSING_RETRY_AFTER));
  response.end(JSON.stringify({ status: 503, message: 'Service Unavailable' }));
}

import type { Authenticator } from '../auth/types.js';
import type { Config } from '../config/config.js';
import type { Controllers, RouteDefinition } from '../app/route-definition.js';
import type { Logger } from '../log/logger.js';

/**
 * What `serve()` needs. Give `config` (already read) or `configFile` (read here, and read again
 * by every worker, so a rolling reload picks up changes); with neither, every key takes its
 * default. `workers` overrides `[server] workers`.
 */
export interface ServeOptions {
  config?: Config | undefined;
  configFile?: string | undefined;
  routes: RouteDefinition[];
  controllers: Controllers;
  workers?: number | undefined;
  authenticator?: Authenticator | undefined;
  /** Operational log; mozlog JSON on standard output by default. */
  logger?: Logger | undefined;
  /**
   * Install the signal handlers (SIGTERM, SIGINT, SIGHUP) when the config asks for them
   * (`global.clean_shutdown`). Default true; tests that serve inside their own process turn it off.
   */
  signals?: boolean | undefined;
}

/** A service that is listening. */
export interface RunningServer {
  /** The address the service listens on, as bound (`127.0.0.1`). */
  address: string;
  /** The port, useful with `[server] port = 0`. */
  port: number;
  /**
   * Stops at once without the legacy phases: no new connections, requests in progress finish
   * (within `[server] drain_timeout`), the app closes. In a cluster, every worker does so.
   */
  close(): Promise<void>;
}

import type { Config } from '../config/config.js';
import { readSeconds } from './read-seconds.js';

/** How a signal stops the service: the legacy `[global]` keys, with the legacy defaults. */
export interface ShutdownSettings {
  /** `global.clean_shutdown`: install the SIGTERM and SIGINT handlers. Default true. */
  clean: boolean;
  /** `global.graceful_shutdown_interval`: phase 1, the heartbeat fails. Default 1 s. */
  drainingMs: number;
  /** `global.hard_shutdown_interval`: phase 2, every new request gets 503. Default 1 s. */
  closingMs: number;
}

export function readShutdownSettings(config: Config): ShutdownSettings {
  return {
    clean: config.getBoolean('global', 'clean_shutdown', true),
    drainingMs: readSeconds(config, 'global', 'graceful_shutdown_interval', 1),
    closingMs: readSeconds(config, 'global', 'hard_shutdown_interval', 1),
  };
}

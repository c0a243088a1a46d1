import type { Config } from '../config/config.js';
import { invalidSetting, readSeconds } from './read-seconds.js';

/** The `[server]` keys, read once at start-up. Durations are in milliseconds. */
export interface ServerSettings {
  /** `host`: the address to listen on. Default `127.0.0.1`. */
  host: string;
  /** `port`: default 8000; 0 picks a free port. */
  port: number;
  /** `workers`: processes serving requests. Default 1; 2 or more starts a cluster. */
  workers: number;
  /** `keepalive_timeout`: idle time before a kept-alive socket is closed. Default 75 s. */
  keepAliveTimeoutMs: number;
  /** `headers_timeout`: time to receive a request's headers. Default keepalive_timeout + 1 s. */
  headersTimeoutMs: number;
  /** `request_timeout`: time to receive a whole request. Default 300 s; 0 disables it. */
  requestTimeoutMs: number;
  /** `max_header_size`: bytes of request headers before a 431. Default 16384. */
  maxHeaderSize: number;
  /** `max_requests_per_socket`: requests on one kept-alive socket. Default 0, no limit. */
  maxRequestsPerSocket: number;
  /** `drain_timeout`: how long a stopping server waits for requests in progress. Default 5 s. */
  drainTimeoutMs: number;
  /** `startup_timeout`: how long a cluster worker may take to listen before it is killed and
   * counted as a failed start. Default 30 s. */
  startupTimeoutMs: number;
}

const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  workers: 1,
  // Longer than the generated nginx upstream keepalive_timeout (60 s): the side that closes an
  // idle socket must be nginx, otherwise nginx can send a request down a socket Node has just
  // closed and answer 502.
  keepAliveTimeoutSeconds: 75,
  requestTimeoutSeconds: 300,
  maxHeaderSize: 16384,
  // Docker and Kubernetes kill 10 s after SIGTERM; the two shutdown phases take 2 s by default,
  // so 5 s more for slow requests still ends before the kill.
  drainTimeoutSeconds: 5,
  // a worker that has not listened by then is stuck (a backend that never answers at start-up);
  // killing it lets the back-off and the crash-loop stop take over
  startupTimeoutSeconds: 30,
} as const;

/** Reads `[server]`, refusing values the server cannot use with the file and line of the key. */
export function readServerSettings(config: Config): ServerSettings {
  const keepAliveTimeoutMs = readSeconds(
    config,
    'server',
    'keepalive_timeout',
    SERVER_DEFAULTS.keepAliveTimeoutSeconds,
  );
  const headersTimeoutMs = readSeconds(
    config,
    'server',
    'headers_timeout',
    keepAliveTimeoutMs / 1000 + 1,
  );
  const requestTimeoutMs = readSeconds(
    config,
    'server',
    'request_timeout',
    SERVER_DEFAULTS.requestTimeoutSeconds,
  );

  // Node refuses a server whose whole-request limit is shorter than its headers limit
  if (requestTimeoutMs !== 0 && requestTimeoutMs < headersTimeoutMs) {
    throw invalidSetting(
      config,
      'server',
      'request_timeout',
      `must be 0 or at least headers_timeout (${headersTimeoutMs / 1000} s)`,
    );
  }

  return {
    host: host(config),
    port: integerIn(config, 'port', SERVER_DEFAULTS.port, 0, 65535),
    workers: integerIn(config, 'workers', SERVER_DEFAULTS.workers, 1, 1024),
    keepAliveTimeoutMs,
    headersTimeoutMs,
    requestTimeoutMs,
    maxHeaderSize: integerIn(
      config,
      'max_header_size',
      SERVER_DEFAULTS.maxHeaderSize,
      1024,
      2 ** 24,
    ),
    maxRequestsPerSocket: integerIn(config, 'max_requests_per_socket', 0, 0, 2 ** 31 - 1),
    drainTimeoutMs: readSeconds(
      config,
      'server',
      'drain_timeout',
      SERVER_DEFAULTS.drainTimeoutSeconds,
    ),
    startupTimeoutMs: readSeconds(
      config,
      'server',
      'startup_timeout',
      SERVER_DEFAULTS.startupTimeoutSeconds,
    ),
  };
}

function host(config: Config): string {
  const value = config.getString('server', 'host', SERVER_DEFAULTS.host);
  if (value === '' || /\s/.test(value)) {
    throw invalidSetting(config, 'server', 'host', 'must be an address such as 127.0.0.1');
  }
  return value;
}

function integerIn(
  config: Config,
  option: string,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  const value = config.getInteger('server', option, fallback);
  if (value < minimum || value > maximum) {
    throw invalidSetting(config, 'server', option, `must be between ${minimum} and ${maximum}`);
  }
  return value;
}

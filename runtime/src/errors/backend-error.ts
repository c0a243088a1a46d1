import { ServiceError } from './service-error.js';

export interface BackendErrorOptions {
  /** Seconds for `Retry-After`: a positive value is sent as is, 0 sends none, unset uses
   * `global.retry_after`. */
  retryAfter?: number;
  /** Name of the backend that failed (`sql`, `ldap`, ...), for the log line. */
  backend?: string;
  cause?: unknown;
}

/**
 * A dependency of the service (database, directory, upstream API) is unavailable. The request
 * answers 503 with `Retry-After`; the details go to the log, never to the client.
 */
export class BackendError extends ServiceError {
  readonly retryAfter: number | undefined;
  readonly backend: string | undefined;

  constructor(message = 'backend unavailable', options: BackendErrorOptions = {}) {
    super('SVC_ERR_BACKEND_UNAVAILABLE', message, {
      status: 503,
      expose: false,
      cause: options.cause,
    });
    this.retryAfter = options.retryAfter;
    this.backend = options.backend;
  }
}

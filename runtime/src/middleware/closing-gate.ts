import type { Middleware } from 'koa';
import { ServiceError } from '../errors/service-error.js';

/** Seconds a client is asked to wait while this process closes: another one will serve it. */
export const CLOSING_RETRY_AFTER = 5;

/**
 * Refuses every request once the app is closing (the last phase of shutdown): 503 with
 * `Retry-After` and `Connection: close`, so keep-alive clients reconnect elsewhere.
 */
export function closingGate(isClosing: () => boolean): Middleware {
  return async (ctx, next) => {
    if (!isClosing()) return next();
    throw new ServiceError('SVC_ERR_APP_CLOSING', 'the service is shutting down', {
      status: 503,
      expose: true,
      headers: { 'Retry-After': String(CLOSING_RETRY_AFTER), Connection: 'close' },
    });
  };
}

import type { Middleware } from 'koa';
import { roundMilliseconds } from '../app/round-time.js';

/**
 * Adds the server time (`global.timestamp_header`, default `X-Weave-Timestamp`), taken when the
 * request arrived, to every answer that was returned, including 404 and 405. An answer made from
 * a raised error (401, 503) goes without, as in the legacy app.
 */
export function timestampHeader(name: string): Middleware {
  return async (ctx, next) => {
    const serverTime = roundMilliseconds(Date.now());
    await next();
    ctx.set(name, serverTime);
  };
}

import type { Middleware } from 'koa';
import type { CefLogger } from '../cef/cef-event.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { keepHeader } from '../app/kept-headers.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../app/request-id.js';

export interface RequestContextOptions {
  config: Config;
  logger: Logger;
  cef: CefLogger | undefined;
}

/**
 * Gives each request what controllers and later middlewares rely on: the host view of the
 * configuration, the request id (echoed in `X-Request-ID` and carried as `rid` by `ctx.log`), the
 * client address decided by the proxy settings, and `ctx.cef()` with the request facts filled in.
 */
export function requestContext({ config, logger, cef }: RequestContextOptions): Middleware {
  return async (ctx, next) => {
    ctx.requestId = requestIdFor(ctx.get(REQUEST_ID_HEADER) || undefined);
    keepHeader(ctx, REQUEST_ID_HEADER, ctx.requestId);

    ctx.config = config.forHost(ctx.get('host') || undefined);
    ctx.log = logger.child({ rid: ctx.requestId });
    // Koa applies app.proxy and app.maxIpsCount, which the app set from trust_proxy and proxy_count
    ctx.clientAddress = ctx.ip;

    ctx.cef = (event) => {
      cef?.log({
        ...event,
        request: {
          method: ctx.method,
          path: ctx.path,
          host: ctx.get('host') || undefined,
          userAgent: ctx.get('user-agent') || undefined,
          remoteAddress: ctx.clientAddress,
        },
      });
    };

    await next();
  };
}

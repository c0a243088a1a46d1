import type { Context, Middleware } from 'koa';
import { keepHeader } from '../app/kept-headers.js';

/**
 * The service's `beforeCall(ctx)` hook: it runs before routing and returns headers to add to the
 * answer (error answers included), or throws an HTTP error (for example a 503 with `Retry-After`)
 * to refuse the request.
 */
export type BeforeCall = (
  ctx: Context,
) => Record<string, string> | undefined | void | Promise<Record<string, string> | undefined | void>;

export function beforeCall(hook: BeforeCall): Middleware {
  return async (ctx, next) => {
    const headers = await hook(ctx);
    for (const [name, value] of Object.entries(headers ?? {})) keepHeader(ctx, name, String(value));
    await next();
  };
}

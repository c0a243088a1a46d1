import type { Middleware } from 'koa';

/**
 * Strips trailing slashes before anything matches the path, as the legacy app did: `/params/`
 * is `/params`, `/` stays `/`, and `//` (which would strip to nothing) is left alone and matches
 * no route. The query string is kept.
 */
export function trailingSlash(): Middleware {
  return async (ctx, next) => {
    const stripped = ctx.path.replace(/\/+$/, '');
    if (stripped !== '' && stripped !== ctx.path) ctx.path = stripped;
    await next();
  };
}

import type { Middleware } from 'koa';

/**
 * `/__lbheartbeat__`: 200 as long as this process can serve, without touching any backend (the
 * load balancer's view). The closing gate in front of it answers 503 once the app is closing.
 */
export function lbheartbeatPage(): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/__lbheartbeat__' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
      return next();
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  };
}

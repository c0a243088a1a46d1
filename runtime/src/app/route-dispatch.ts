import type { Middleware } from 'koa';
import type { Authenticator } from '../auth/types.js';
import { buildRouter } from './build-router.js';
import type { ResolvedRoute } from './route-table.js';

// a first segment made only of these characters is matched literally by every route syntax
const STATIC_SEGMENT = /^[A-Za-z0-9._~@,;=-]*$/;

/**
 * Routes a request by its path's first segment before the router sees it. @koa/router tries every
 * route's pattern in turn, so a table of a thousand routes costs each request a thousand regex
 * tests; here each first segment that routes name literally (`/users/...`, `/1.0/...`) gets a
 * router of its own, holding those routes and the routes whose first segment is a parameter, in
 * table order. A path whose first segment no route names literally goes to a router of the
 * parameter routes alone. Each router answers 404, 405 (with `Allow`) and 501 as one router over
 * the whole table would, since every route that could match the path is in it.
 */
export function routeDispatch(
  routes: readonly ResolvedRoute[],
  authenticator: () => Authenticator | undefined,
): Middleware {
  const heads = new Set(routes.map(staticHead).filter((head) => head !== undefined));
  const byHead = new Map<string, Middleware>();
  for (const head of heads) {
    const candidates = routes.filter((route) => [head, undefined].includes(staticHead(route)));
    byHead.set(head, routing(candidates, authenticator));
  }
  const rest = routing(
    routes.filter((route) => staticHead(route) === undefined),
    authenticator,
  );

  return (ctx, next) => (byHead.get(firstSegment(ctx.path)) ?? rest)(ctx, next);
}

function routing(
  routes: readonly ResolvedRoute[],
  authenticator: () => Authenticator | undefined,
): Middleware {
  const router = buildRouter(routes, authenticator);
  // the router's middlewares add `params` and `router` to the context they are given
  const matched = router.routes() as Middleware;
  const allowed = router.allowedMethods() as Middleware;
  return (ctx, next) => matched(ctx, () => allowed(ctx, next));
}

/** The route's first path segment when every syntax matches it literally, else `undefined`. */
function staticHead(route: ResolvedRoute): string | undefined {
  const head = firstSegment(route.path);
  return STATIC_SEGMENT.test(head) ? head : undefined;
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return path.slice(1, end === -1 ? undefined : end);
}

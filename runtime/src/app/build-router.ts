import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Authenticator } from '../auth/types.js';
import { ServiceError } from '../errors/service-error.js';
import type { ResolvedRoute } from './route-table.js';

/**
 * Builds the router for the checked route table. Each route runs, in order: its path parameters
 * (decoded; a broken escape is a 400), the authenticator when `auth` is set, then the action,
 * whose returned value (when not `undefined`) becomes the body. The query reaches the action as
 * `ctx.query` with one string per key: for a repeated key the last value wins, as in the legacy
 * app.
 */
export function buildRouter(
  routes: readonly ResolvedRoute[],
  authenticator: () => Authenticator | undefined,
): Router {
  // trailing slashes are stripped before routing, so matching is strict; case matters, as in Routes
  const router = new Router({ strict: true, sensitive: true });

  for (const route of routes) {
    const { pattern } = route;
    const options = pattern.kind === 'legacy' ? { pathAsRegExp: true } : {};
    router.register(pattern.path, route.methods, [routeHandler(route, authenticator)], options);
  }
  return router;
}

function routeHandler(
  route: ResolvedRoute,
  authenticator: () => Authenticator | undefined,
): Middleware {
  return async (ctx) => {
    assertDecodable(ctx.path);
    if (route.pattern.kind === 'legacy') ctx.params = legacyParams(ctx, route.pattern.path);
    Object.defineProperty(ctx, 'query', {
      value: lastValueWins(ctx.request.query),
      writable: true,
      configurable: true,
    });

    if (route.auth) await authenticate(ctx, authenticator());

    const result = await route.invoke(ctx);
    if (result !== undefined) ctx.body = result;
  };
}

async function authenticate(ctx: Context, authenticator: Authenticator | undefined): Promise<void> {
  // createApp refuses auth routes without an authenticator; this guards a failed startup
  if (!authenticator) throw new ServiceError('SVC_ERR_APP_AUTH_NOT_CONFIGURED', 'no authenticator');
  ctx.user = await authenticator.authenticate(ctx);
}

// the router keeps a parameter with a broken escape as written; both syntaxes refuse it instead
function assertDecodable(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw new ServiceError('SVC_ERR_APP_BAD_PATH', 'the path holds a broken percent escape', {
      status: 400,
    });
  }
}

function legacyParams(ctx: Context, pattern: RegExp): Record<string, string> {
  const groups = pattern.exec(ctx.path)?.groups ?? {};
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(groups)) {
    if (raw !== undefined) params[name] = decodeURIComponent(raw);
  }
  return params;
}

function lastValueWins(
  query: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) single[key] = last;
  }
  return single;
}

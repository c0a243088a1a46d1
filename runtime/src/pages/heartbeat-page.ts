import type { Middleware } from 'koa';
import type { HealthChecks } from '../app/health-checks.js';
import { maskSecrets } from './mask-secrets.js';

export interface HeartbeatPageOptions {
  /** `global.heartbeat_page`, without the leading slash. */
  page: string;
  checks: HealthChecks;
  /** `global.debug`: give the reason of each failing check. */
  debug: boolean;
  /** True from the moment the app starts draining. */
  isDraining: () => boolean;
}

/**
 * The Dockerflow heartbeat: `GET` or `HEAD /<heartbeat_page>` runs every registered check and
 * answers 200 `{"status":"ok","checks":{...},"details":{}}`, or 503 with the failing checks
 * marked `error`. While the app drains it answers 503 without running them, so that the load
 * balancer stops sending traffic first. Other methods fall through to the routes.
 */
export function heartbeatPage({
  page,
  checks,
  debug,
  isDraining,
}: HeartbeatPageOptions): Middleware {
  const path = `/${page}`;

  return async (ctx, next) => {
    if (ctx.path !== path || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');

    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining', checks: {}, details: {} };
      return;
    }

    const report = await checks.run();
    const details = debug ? (maskSecrets(report.failures) as Record<string, string>) : {};
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = { status: report.status, checks: report.checks, details };
  };
}

import type { Context, Middleware } from 'koa';
import { escapeHtml } from './escape-html.js';
import { isLoopback } from './loopback.js';
import { maskSecrets } from './mask-secrets.js';

export interface DebugPageOptions {
  /** `global.debug_page`, without the leading slash. */
  page: string;
  /** `global.debug_page_public`: answer clients that are not on loopback too. */
  open: boolean;
}

const MASKED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The debug page, for any method: request facts (headers with credentials masked), the host view
 * of the configuration with secrets masked by `maskSecrets`, runtime versions and process facts.
 * JSON, or escaped HTML when the client prefers it. Only loopback clients get it unless `open`;
 * the others get the same 404 as any unknown path, so the page does not confirm it exists.
 */
export function debugPage({ page, open }: DebugPageOptions): Middleware {
  const path = `/${page}`;

  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    if (!open && !isLoopback(ctx.clientAddress)) return next();

    const report = debugReport(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.type = 'html';
      ctx.body = debugHtml(report);
      return;
    }
    ctx.body = report;
  };
}

/** Everything the page shows, masked. */
function debugReport(ctx: Context): Record<string, unknown> {
  const memory = process.memoryUsage();
  return maskSecrets({
    request: {
      method: ctx.method,
      path: ctx.path,
      query: ctx.querystring,
      httpVersion: ctx.req.httpVersion,
      clientAddress: ctx.clientAddress,
      requestId: ctx.requestId,
      headers: maskedHeaders(ctx.headers),
    },
    config: ctx.config.getMap(),
    runtime: { node: process.versions.node, v8: process.versions.v8, platform: process.platform },
    process: {
      pid: process.pid,
      uptime: Math.round(process.uptime()),
      memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal },
    },
  }) as Record<string, unknown>;
}

function maskedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    masked[name] = MASKED_HEADERS.has(name) ? '********' : value;
  }
  return masked;
}

function debugHtml(report: Record<string, unknown>): string {
  const sections = Object.entries(report).map(
    ([title, value]) =>
      `<h2>${escapeHtml(title)}</h2>\n<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`,
  );
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Debug information</title></head><body>',
    '<h1>Debug information</h1>',
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

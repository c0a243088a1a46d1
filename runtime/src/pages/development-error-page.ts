import type { Context } from 'koa';
import { escapeHtml } from './escape-html.js';

/**
 * The page `global.client_debug = true` shows instead of the crash-id body: the error's stack,
 * escaped. Only for development, where the client is the developer.
 */
export function developmentErrorPage(ctx: Context, error: unknown, crashId: string): string {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Application error</title></head><body>',
    `<h1>Application error</h1>`,
    `<p>${escapeHtml(`${ctx.method} ${ctx.path}`)} - crash id ${escapeHtml(crashId)}</p>`,
    `<pre>${escapeHtml(stack)}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}

import type { Context } from 'koa';

const kept = new WeakMap<Context, Map<string, string>>();

/**
 * Sets a response header that must survive an error. Koa drops every header set before a throw,
 * and the error catcher does the same for consistency, then puts these back: the request id and
 * the headers of the `beforeCall` hook belong on error responses too.
 */
export function keepHeader(ctx: Context, name: string, value: string): void {
  let headers = kept.get(ctx);
  if (!headers) {
    headers = new Map();
    kept.set(ctx, headers);
  }
  headers.set(name, value);
  ctx.set(name, value);
}

/** Removes every response header, then restores the kept ones. */
export function resetHeaders(ctx: Context): void {
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
  for (const [name, value] of kept.get(ctx) ?? []) ctx.set(name, value);
}

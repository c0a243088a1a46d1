import { STATUS_CODES } from 'node:http';
import type { Middleware } from 'koa';
import { answer } from '../app/http-answer.js';

const FILLED = new Set([404, 405, 501]);

/**
 * Gives the router's bare answers a body: an unknown path is 404, a known path with another
 * method 405 (the router has set `Allow`), an unknown method 501. These answers are returned,
 * not raised, so they keep the headers set on the way (the timestamp among them).
 */
export function defaultAnswers(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (!FILLED.has(ctx.status)) return;
    answer(ctx, ctx.status, STATUS_CODES[ctx.status]);
  };
}

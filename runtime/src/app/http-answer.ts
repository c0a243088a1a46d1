import { STATUS_CODES } from 'node:http';
import type { Context } from 'koa';

/** The small JSON body of every answer the runtime writes itself: `{"status":404,"message":"Not Found"}`. */
export function answer(
  ctx: Context,
  status: number,
  message = STATUS_CODES[status] ?? 'Error',
): void {
  ctx.status = status;
  ctx.body = { status, message };
}

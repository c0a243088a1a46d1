import type { Context, Middleware } from 'koa';
import type { AccessFormat } from '../app/app-settings.js';
import { MONTH_NAMES, twoDigits } from '../log/date-parts.js';

export interface AccessLogOptions {
  /** `[logging] access_format`: `combined` (the legacy console line) or `json` (mozlog summary). */
  format: AccessFormat;
}

/**
 * Writes one record per request, after its status is decided (errors and 404s included), through
 * the request's logger, so every record carries `rid`. `json` writes a mozlog `request.summary`
 * record; `combined` writes a `request.access` record whose `msg` field is the legacy console
 * line, `<addr> - <user> [<date>] "<METHOD> <URI> HTTP/<v>" <status> <bytes> "<referer>" "<ua>"`.
 */
export function accessLog({ format }: AccessLogOptions): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (format === 'json') ctx.log.info('request.summary', summary(ctx, elapsed));
      else ctx.log.info('request.access', { msg: combinedLine(ctx, new Date()) });
    }
  };
}

function summary(ctx: Context, elapsed: number): Record<string, unknown> {
  const forwarded = ctx.get('x-forwarded-for');
  const chain = forwarded === '' ? [] : forwarded.split(',').map((entry) => entry.trim());
  return {
    method: ctx.method,
    path: ctx.path,
    code: ctx.status,
    t: Math.round(elapsed),
    rid: ctx.requestId,
    uid: ctx.user?.username,
    agent: ctx.get('user-agent') || undefined,
    lang: ctx.get('accept-language') || undefined,
    remoteAddressChain: [...chain, ctx.socket.remoteAddress ?? ''],
  };
}

/** The legacy console line; a field that is missing prints `-`. */
export function combinedLine(ctx: Context, date: Date): string {
  const user = ctx.user?.username ?? '-';
  const request = `${ctx.method} ${ctx.originalUrl} HTTP/${ctx.req.httpVersion}`;
  const bytes = ctx.response.length ?? '-';
  const referer = ctx.get('referer') || '-';
  const agent = ctx.get('user-agent') || '-';
  return (
    `${ctx.clientAddress || '-'} - ${quoted(user)} [${clfDate(date)}] "${quoted(request)}" ` +
    `${ctx.status} ${bytes} "${quoted(referer)}" "${quoted(agent)}"`
  );
}

// a client chooses these strings: quotes and control characters are escaped so that one request
// is always one line that splits the same way
function quoted(text: string): string {
  return text
    .replace(/["\\]/g, '\\$&')
    .replace(/\p{Cc}/gu, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `%d/%b/%Y:%H:%M:%S +HHMM`, in local time. */
export function clfDate(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${twoDigits(Math.floor(Math.abs(offset) / 60))}${twoDigits(Math.abs(offset) % 60)}`;
  const day = `${twoDigits(date.getDate())}/${MONTH_NAMES[date.getMonth()]}/${date.getFullYear()}`;
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()].map(twoDigits).join(':');
  return `${day}:${time} ${zone}`;
}

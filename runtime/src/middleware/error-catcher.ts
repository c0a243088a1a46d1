import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { BackendError } from '../errors/backend-error.js';
import { errorCode } from '../errors/error-message.js';
import { answer } from '../app/http-answer.js';
import { resetHeaders } from '../app/kept-headers.js';
import { developmentErrorPage } from '../pages/development-error-page.js';

export interface ErrorCatcherOptions {
  /** `global.retry_after`: seconds sent with a BackendError that names none. */
  retryAfter: number;
  /** `global.client_debug`: show the stack on a development page instead of the crash id. */
  clientDebug: boolean;
}

/**
 * Turns every error a request raises into an answer that reveals nothing about it. Errors with a
 * client status (a `ServiceError`, an http-errors error, a body-parser refusal) keep their status,
 * headers and exposed message. `BackendError` answers 503 with `Retry-After`; anything else
 * answers 500. Both 5xx bodies are the JSON string `"application error: crash id <id>"`, and the
 * crash id, stack and request id go to one `app.error` log record.
 */
export function errorCatcher(options: ErrorCatcherOptions): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      handleError(ctx, error, options);
    }
  };
}

function handleError(ctx: Context, error: unknown, options: ErrorCatcherOptions): void {
  // the status line is gone already: all that is left is to say so in the log
  if (ctx.headerSent || !ctx.writable) {
    ctx.log.error('app.error', { ...requestFacts(ctx), late: true, ...errorFacts(error) });
    // a half-written body must not look complete to the client: the connection is cut
    ctx.respond = false;
    if (!ctx.res.writableEnded) ctx.res.destroy();
    return;
  }

  resetHeaders(ctx);
  if (error instanceof BackendError) return answerBackendError(ctx, error, options);

  const status = statusOf(error);
  if (status !== undefined) return answerHttpError(ctx, error as HttpLikeError, status);

  answerCrash(ctx, error, options);
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
  headers?: unknown;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as HttpLikeError;
  const value = typeof status === 'number' ? status : statusCode;
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  return value >= 400 && value <= 599 && value !== 500 ? value : undefined;
}

function answerHttpError(ctx: Context, error: HttpLikeError, status: number): void {
  setErrorHeaders(ctx, error.headers);

  const exposed =
    error.expose === true && typeof error.message === 'string' && error.message !== '';
  answer(ctx, status, exposed ? (error.message as string) : STATUS_CODES[status]);

  const level = status >= 500 ? 'warn' : 'debug';
  ctx.log[level]('request.refused', { ...requestFacts(ctx), status, ...codeOf(error) });
}

function answerBackendError(ctx: Context, error: BackendError, options: ErrorCatcherOptions): void {
  const crashId = newCrashId();
  ctx.log.error('app.error', {
    ...requestFacts(ctx),
    crashId,
    backend: error.backend,
    ...errorFacts(error),
  });

  const retryAfter =
    error.retryAfter === undefined || error.retryAfter < 0 ? options.retryAfter : error.retryAfter;
  if (retryAfter > 0) ctx.set('Retry-After', String(retryAfter));
  crashBody(ctx, 503, crashId);
}

function answerCrash(ctx: Context, error: unknown, options: ErrorCatcherOptions): void {
  const crashId = newCrashId();
  ctx.log.error('app.error', { ...requestFacts(ctx), crashId, ...errorFacts(error) });

  if (options.clientDebug) {
    ctx.status = 500;
    ctx.type = 'html';
    ctx.body = developmentErrorPage(ctx, error, crashId);
    return;
  }
  crashBody(ctx, 500, crashId);
}

function crashBody(ctx: Context, status: number, crashId: string): void {
  ctx.status = status;
  ctx.body = JSON.stringify(`application error: crash id ${crashId}`);
  ctx.set('Content-Type', 'application/json');
}

function setErrorHeaders(ctx: Context, headers: unknown): void {
  if (typeof headers !== 'object' || headers === null) return;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' || typeof value === 'number') ctx.set(name, String(value));
    else if (Array.isArray(value)) ctx.set(name, value.map(String));
  }
}

function newCrashId(): string {
  return randomBytes(16).toString('hex');
}

function requestFacts(ctx: Context): Record<string, unknown> {
  return { rid: ctx.requestId, method: ctx.method, path: ctx.path };
}

function errorFacts(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: error.message, name: error.name, stack: error.stack, ...codeOf(error) };
}

function codeOf(error: unknown): Record<string, unknown> {
  const code = errorCode(error);
  return code === undefined ? {} : { code };
}

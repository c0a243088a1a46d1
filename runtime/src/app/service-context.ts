import type { Context } from 'koa';
import type { User } from '../auth/types.js';
import type { CefEvent } from '../cef/cef-event.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';

/**
 * The context an action receives: Koa's context with the route's parameters and everything the
 * runtime adds (see below). Controllers type their actions with it.
 *
 * ```ts
 * greet(ctx: ServiceContext) { return { hello: ctx.params.name }; }
 * ```
 */
export type ServiceContext = Context & { params: Record<string, string> };

/** A CEF event raised from a request: the request facts are filled in by the runtime. */
export type RequestCefEvent = Omit<CefEvent, 'request' | 'date' | 'hostname'>;

// What the runtime adds to every Koa context before a controller runs.
declare module 'koa' {
  interface DefaultContext {
    /** The configuration for this request's Host header (see `Config.forHost`). */
    config: Config;
    /** The authenticated user, on routes with `auth: true`. */
    user?: User | undefined;
    /** The request id: a valid incoming `X-Request-ID`, or one made here. */
    requestId: string;
    /** The operational logger, carrying this request's id. */
    log: Logger;
    /** The client address, decided by `global.trust_proxy` (never a header the client chose). */
    clientAddress: string;
    /** Writes a CEF security record about this request; a no-op when CEF is off. */
    cef(event: RequestCefEvent): void;
  }
}

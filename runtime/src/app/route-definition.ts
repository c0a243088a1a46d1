import type { Context } from 'koa';

/**
 * One entry of a service's route table. `method` (or `methods`) lists the HTTP methods, default
 * `GET`; a GET route also answers HEAD. `path` uses the router's syntax (`/users/:name`) or the
 * legacy Routes syntax (`/{api:1.0|1}/{username:[a-zA-Z0-9._-]+}/info`). `auth: true` runs the
 * authenticator first and sets `ctx.user`.
 *
 * ```ts
 * const routes: RouteDefinition[] = [
 *   { method: 'GET', path: '/{username}/info', controller: 'user', action: 'info', auth: true },
 * ];
 * ```
 */
export interface RouteDefinition {
  method?: string;
  methods?: string[];
  path: string;
  controller: string;
  action: string;
  auth?: boolean;
}

/** What an action returns: a body for the response, or `undefined` when it set `ctx.body` itself. */
export type ActionResult = unknown;

/** A controller method a route calls. */
export type Action = (ctx: Context) => ActionResult | Promise<ActionResult>;

/** A controller class, built once per app with the app as its only argument. */
export type ControllerClass = new (app: never) => object;

/**
 * The controllers of a service, by the name routes use: a class (built once as `new Class(app)`)
 * or a plain object. Its methods are the actions.
 */
export type Controllers = Record<string, ControllerClass | object>;

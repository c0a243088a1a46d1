import { METHODS } from 'node:http';
import type { Context } from 'koa';
import { ConfigError } from '../errors/config-error.js';
import type { Controllers, RouteDefinition } from './route-definition.js';
import { compileRoutePattern, type RoutePattern } from './route-pattern.js';

/** A checked route entry: its methods upper-cased, its path compiled and its action bound. */
export interface ResolvedRoute {
  methods: string[];
  path: string;
  pattern: RoutePattern;
  controller: string;
  action: string;
  auth: boolean;
  invoke: (ctx: Context) => unknown;
}

/**
 * Checks every route entry and binds it to its action, so that a typo in the table stops startup
 * instead of answering 404 at run time. Classes are built once, with `app`, in table order.
 */
export function resolveRoutes(
  routes: readonly RouteDefinition[],
  controllers: Controllers,
  app: unknown,
): ResolvedRoute[] {
  if (!Array.isArray(routes)) invalid('routes must be an array of route entries');

  const instances = new Map<string, Record<string, unknown>>();
  return routes.map((route, index) => {
    const describe = describeRoute(route, index);
    const methods = routeMethods(route, describe);
    const path = routePath(route, describe);

    const instance = controllerInstance(route, controllers, instances, app, describe);
    const invoke = boundAction(route, instance, describe);

    const pattern = compileRoutePattern(path, describe);
    return {
      methods,
      path,
      pattern,
      controller: route.controller,
      action: route.action,
      auth: route.auth === true,
      invoke,
    };
  });
}

function describeRoute(route: RouteDefinition, index: number): string {
  if (typeof route !== 'object' || route === null) return `route #${index + 1}`;
  const methods = route.methods ?? [route.method ?? 'GET'];
  const method = Array.isArray(methods) ? methods.join('|') : String(methods);
  return `route #${index + 1} (${method} ${String(route.path)} -> ${String(route.controller)}.${String(route.action)})`;
}

function routeMethods(route: RouteDefinition, describe: string): string[] {
  if (typeof route !== 'object' || route === null) invalid(`${describe} is not an object`);
  if (route.method !== undefined && route.methods !== undefined) {
    invalid(`${describe}: give method or methods, not both`);
  }

  const methods = route.methods ?? [route.method ?? 'GET'];
  if (!Array.isArray(methods) || methods.length === 0) {
    invalid(`${describe}: methods must be a non-empty list`);
  }
  return methods.map((method) => {
    const upper = typeof method === 'string' ? method.toUpperCase() : '';
    if (!METHODS.includes(upper))
      invalid(`${describe}: unknown HTTP method ${JSON.stringify(method)}`);
    return upper;
  });
}

function routePath(route: RouteDefinition, describe: string): string {
  if (typeof route.path !== 'string' || !route.path.startsWith('/')) {
    invalid(`${describe}: path must be a string starting with "/"`);
  }
  return route.path;
}

function controllerInstance(
  route: RouteDefinition,
  controllers: Controllers,
  instances: Map<string, Record<string, unknown>>,
  app: unknown,
  describe: string,
): Record<string, unknown> {
  const name = route.controller;
  const known = instances.get(name);
  if (known) return known;

  const entry =
    typeof name === 'string' && Object.hasOwn(controllers, name) ? controllers[name] : undefined;
  if (
    entry === undefined ||
    entry === null ||
    (typeof entry !== 'function' && typeof entry !== 'object')
  ) {
    const available = Object.keys(controllers).join(', ') || 'none';
    throw new ConfigError(
      'SVC_ERR_APP_UNKNOWN_CONTROLLER',
      `${describe}: no controller named ${JSON.stringify(name)} (controllers: ${available})`,
    );
  }

  const instance = (
    typeof entry === 'function' ? new (entry as new (app: unknown) => object)(app) : entry
  ) as Record<string, unknown>;
  instances.set(name, instance);
  return instance;
}

function boundAction(
  route: RouteDefinition,
  instance: Record<string, unknown>,
  describe: string,
): (ctx: Context) => unknown {
  const action = typeof route.action === 'string' ? instance[route.action] : undefined;
  if (typeof action !== 'function' || route.action === 'constructor') {
    throw new ConfigError(
      'SVC_ERR_APP_UNKNOWN_ACTION',
      `${describe}: controller ${JSON.stringify(route.controller)} has no action ${JSON.stringify(route.action)}`,
    );
  }
  return (ctx) => (action as (ctx: Context) => unknown).call(instance, ctx);
}

function invalid(message: string): never {
  throw new ConfigError('SVC_ERR_APP_INVALID_ROUTE', message);
}

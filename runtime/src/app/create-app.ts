import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { createAuthenticator } from '../auth/create-authenticator.js';
import type { Authenticator } from '../auth/types.js';
import { createCefLogger } from '../cef/create-cef-logger.js';
import type { CefLogger } from '../cef/cef-event.js';
import type { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';
import type { Logger } from '../log/logger.js';
import { accessLog } from '../middleware/access-log.js';
import { beforeCall as beforeCallMiddleware, type BeforeCall } from '../middleware/before-call.js';
import { closingGate } from '../middleware/closing-gate.js';
import { defaultAnswers } from '../middleware/default-answers.js';
import { errorCatcher } from '../middleware/error-catcher.js';
import { profiler } from '../middleware/profiler.js';
import { requestContext } from '../middleware/request-context.js';
import { timestampHeader } from '../middleware/timestamp-header.js';
import { trailingSlash } from '../middleware/trailing-slash.js';
import { debugPage } from '../pages/debug-page.js';
import { heartbeatPage } from '../pages/heartbeat-page.js';
import { lbheartbeatPage } from '../pages/lbheartbeat-page.js';
import { readVersionInfo, versionPage } from '../pages/version-page.js';
import { readAppSettings, type AppSettings } from './app-settings.js';
import { routeDispatch } from './route-dispatch.js';
import { loggerFromConfig } from './logger-from-config.js';
import type { Controllers, RouteDefinition } from './route-definition.js';
import { resolveRoutes, type ResolvedRoute } from './route-table.js';
import { ServiceApp } from './service-app.js';

export interface CreateAppOptions {
  config: Config;
  routes: readonly RouteDefinition[];
  controllers: Controllers;
  /** Replaces the authenticator `[auth]` would build. */
  authenticator?: Authenticator | undefined;
  /** Replaces the logger `[logging]` would build. */
  logger?: Logger | undefined;
  /** Replaces the CEF logger `[cef]` would build; `false` turns CEF off. */
  cef?: CefLogger | false | undefined;
  /** Runs before routing; returns headers to add, or throws an HTTP error to refuse. */
  beforeCall?: BeforeCall | undefined;
}

/**
 * Builds a service app from its configuration, route table and controllers: the port of the
 * legacy `SyncServerApp`. Mistakes in the table (an unknown controller or action, a bad method or
 * path, an `auth` route with no way to authenticate) throw a `ConfigError` here, before any port
 * is bound. The authenticator `[auth]` describes is built asynchronously; `ready()` (which
 * `listen()` and the first requests wait for) reports when it is done.
 *
 * ```ts
 * const app = createApp({
 *   config: loadConfig('etc/my-service.ini'),
 *   routes: [{ method: 'GET', path: '/{username}/info', controller: 'users', action: 'info' }],
 *   controllers: { users: UsersController },
 * });
 * await app.listen(8000);
 * ```
 */
export function createApp(options: CreateAppOptions): ServiceApp {
  const { config } = options;
  const settings = readAppSettings(config);
  const logger = options.logger ?? loggerFromConfig(config);
  const cef =
    options.cef === false ? undefined : (options.cef ?? createCefLogger(config, { logger }));

  const koa = new Koa({ proxy: settings.trustProxy, maxIpsCount: settings.proxyCount });
  const app = new ServiceApp({ koa, config, logger, settings, cef });
  const routes = resolveRoutes(options.routes, options.controllers, app);
  checkAuthIsPossible(routes, options, config);

  useRuntimeMiddlewares(app, { settings, logger, cef, beforeCall: options.beforeCall });
  useRouting(app, routes);
  app.initialise(() => initialise(app, options));
  return app;
}

function checkAuthIsPossible(
  routes: ResolvedRoute[],
  options: CreateAppOptions,
  config: Config,
): void {
  if (options.authenticator || config.hasSection('auth')) return;
  const route = routes.find((entry) => entry.auth);
  if (!route) return;
  throw new ConfigError(
    'SVC_ERR_APP_AUTH_NOT_CONFIGURED',
    `route ${route.methods.join('|')} ${route.path} -> ${route.controller}.${route.action} needs authentication, but there is no [auth] section and no authenticator was given`,
    { file: config.file },
  );
}

interface MiddlewareOptions {
  settings: AppSettings;
  logger: Logger;
  cef: CefLogger | undefined;
  beforeCall: BeforeCall | undefined;
}

function useRuntimeMiddlewares(
  app: ServiceApp,
  { settings, logger, cef, beforeCall }: MiddlewareOptions,
): void {
  const { koa } = app;
  koa.silent = true;
  koa.on('error', (error: Error) =>
    logger.error('app.error', { error: error.message, stack: error.stack }),
  );

  // outermost first: events, then what every log line needs, then the log, then the error catcher
  koa.use(async (ctx, next) => {
    app.notify('request-start', ctx);
    try {
      await next();
    } finally {
      app.notify('request-end', ctx);
    }
  });
  koa.use(requestContext({ config: app.config, logger, cef }));
  if (settings.accessLog) koa.use(accessLog({ format: settings.accessFormat }));
  koa.use(errorCatcher({ retryAfter: settings.retryAfter, clientDebug: settings.clientDebug }));
  koa.use(closingGate(() => app.shutdown.phase === 'closing'));
  koa.use(timestampHeader(settings.timestampHeader));
  if (beforeCall) koa.use(beforeCallMiddleware(beforeCall));
  koa.use(trailingSlash());

  usePages(app, settings, logger);
}

function usePages(app: ServiceApp, settings: AppSettings, logger: Logger): void {
  const { koa } = app;
  koa.use(
    heartbeatPage({
      page: settings.heartbeatPage,
      checks: app.checks,
      debug: settings.debug,
      isDraining: () => app.shutdown.phase !== 'running',
    }),
  );
  koa.use(lbheartbeatPage());

  const versionSource = { versionFile: settings.versionFile, packageFile: settings.packageFile };
  koa.use(versionPage(readVersionInfo({ ...versionSource, cwd: process.cwd(), logger })));

  if (settings.debugPage !== undefined) {
    koa.use(debugPage({ page: settings.debugPage, open: settings.debugPagePublic }));
  }
  if (settings.profile) {
    const profile = profiler({ open: settings.debugPagePublic });
    koa.use(profile.middleware);
    app.onClose(() => profile.stop());
  }
}

function useRouting(app: ServiceApp, routes: ResolvedRoute[]): void {
  const { koa, settings } = app;
  koa.use(defaultAnswers());
  koa.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: settings.bodyLimit,
      formLimit: settings.bodyLimit,
    }),
  );

  koa.use(routeDispatch(routes, () => app.authenticator));
}

async function initialise(
  app: ServiceApp,
  options: CreateAppOptions,
): Promise<Authenticator | undefined> {
  const authenticator = options.authenticator ?? (await authenticatorFromConfig(app));

  const backend = authenticator?.backend;
  if (backend) app.addCheck(backend.name, () => backend.check());
  return authenticator;
}

function authenticatorFromConfig(app: ServiceApp): Promise<Authenticator> | undefined {
  if (!app.config.hasSection('auth')) return undefined;
  return createAuthenticator(app.config, { logger: app.logger });
}

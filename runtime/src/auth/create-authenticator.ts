import type { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';
import type { Logger } from '../log/logger.js';
import { loadBackend } from './backend-registry.js';
import { BasicAuthenticator } from './basic/basic-authenticator.js';
import { withAuthCache } from './cache/cached-backend.js';
import { instantiate, loadModuleExport } from './load-module-export.js';
import type { Authenticator, User, UserBackend } from './types.js';

/** What `createAuthenticator` needs besides the configuration. */
export interface CreateAuthenticatorOptions {
  logger: Logger;
}

/** The default `[auth] cache_size`. */
const defaultCacheSize = 10_000;

/**
 * Builds the authenticator an app uses from its `[auth]` section: the backend from
 * `[auth] backend` (see `loadBackend`), wrapped in a login cache when `cache_ttl` is above 0, and
 * the Basic authenticator, or the class or factory named by `[auth] authenticator =
 * ./module.js#ExportName`, which receives `{ backend, config, logger }`. Mistakes in any of these
 * are a `ConfigError` at startup, pointing at the key.
 *
 * ```ts
 * const authenticator = await createAuthenticator(config, { logger });
 * const user = await authenticator.authenticate(ctx);
 * ```
 */
export async function createAuthenticator(
  config: Config,
  { logger }: CreateAuthenticatorOptions,
): Promise<Authenticator> {
  const authLogger = logger.child({ component: 'auth' });
  const backend = withCache(await loadBackend(config, { logger: authLogger }), config);
  try {
    const spec = config.getString('auth', 'authenticator');
    if (spec === undefined) return new BasicAuthenticator({ backend, config, logger: authLogger });
    return await customAuthenticator(config, spec, backend, authLogger);
  } catch (error) {
    await backend.close();
    throw error;
  }
}

function withCache(backend: UserBackend, config: Config): UserBackend {
  const ttl = config.getInteger('auth', 'cache_ttl', 0);
  const size = config.getInteger('auth', 'cache_size', defaultCacheSize);
  if (ttl < 0 || size < 1) {
    const key = ttl < 0 ? 'cache_ttl' : 'cache_size';
    throw new ConfigError(
      'SVC_ERR_AUTH_BAD_CACHE',
      `[auth] ${key} must be ${ttl < 0 ? 'zero (off) or a number of seconds' : 'at least 1'}`,
      config.locate('auth', key),
    );
  }
  return ttl === 0 ? backend : withAuthCache(backend, { ttl, size });
}

async function customAuthenticator(
  config: Config,
  spec: string,
  backend: UserBackend,
  logger: Logger,
): Promise<Authenticator> {
  const exported = await loadModuleExport(config, 'authenticator', spec);
  const custom = (await instantiate(exported, {
    backend,
    config,
    logger,
  })) as Partial<Authenticator> | null;
  const authenticate = custom?.authenticate;
  if (typeof authenticate !== 'function') {
    throw new ConfigError(
      'SVC_ERR_AUTH_INCOMPLETE_AUTHENTICATOR',
      `[auth] authenticator = ${spec} has no authenticate(ctx) method`,
      config.locate('auth', 'authenticator'),
    );
  }
  return {
    backend: custom!.backend ?? backend,
    authenticate: (ctx): Promise<User> => authenticate.call(custom, ctx),
    async close() {
      await custom!.close?.call(custom);
      await backend.close();
    },
  };
}

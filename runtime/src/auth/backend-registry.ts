import type { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';
import { ServiceError } from '../errors/service-error.js';
import type { Logger } from '../log/logger.js';
import { instantiate, isModuleSpec, loadModuleExport } from './load-module-export.js';
import type { BackendContext, BackendOptions, UserBackend } from './types.js';
import { withMethods } from './with-methods.js';

type BackendFactory = (
  options: BackendOptions,
  context: BackendContext,
) => UserBackend | Promise<UserBackend>;

// Imported on first use, so that a service on the memory backend never loads a database driver.
const builtins: Record<string, () => Promise<BackendFactory>> = {
  memory: async () => (await import('./backends/memory/memory-backend.js')).createMemoryBackend,
  sql: async () => (await import('./backends/sql/sql-backend.js')).createSqlBackend,
  ldap: async () => (await import('./backends/ldap/ldap-backend.js')).createLdapBackend,
};

const requiredMethods = [
  'authenticate',
  'lookup',
  'create',
  'changePassword',
  'delete',
  'list',
  'check',
  'close',
] as const;

/** What `loadBackend` needs besides the configuration. */
export interface LoadBackendOptions {
  logger: Logger;
}

/**
 * Builds the user backend named by `[auth] backend`: `memory`, `sql`, `ldap`, or
 * `./module.js#ExportName` (relative to the configuration file) exporting a class or a factory
 * that receives `(options, context)`. The other `[auth]` keys are the options. With
 * `allow_new_users = false`, `create` refuses for every backend.
 *
 * ```ts
 * const backend = await loadBackend(config, { logger });
 * await backend.authenticate({ username: 'bob', password: 'secret' });
 * ```
 */
export async function loadBackend(
  config: Config,
  { logger }: LoadBackendOptions,
): Promise<UserBackend> {
  const spec = String(config.require('auth', 'backend'));
  const location = config.locate('auth', 'backend');
  const options = backendOptions(config);
  const context: BackendContext = { config, logger, location };

  // build
  const factory = await resolveFactory(config, spec);
  const backend = (await instantiate(factory, options, context)) as UserBackend;
  assertComplete(backend, spec, config);

  // policy shared by every backend
  const allowNewUsers = config.getBoolean('auth', 'allow_new_users', true);
  return allowNewUsers ? backend : withoutCreation(backend);
}

async function resolveFactory(config: Config, spec: string): Promise<unknown> {
  const builtin = builtins[spec.toLowerCase()];
  if (builtin) return builtin();
  if (isModuleSpec(spec)) return loadModuleExport(config, 'backend', spec);
  throw new ConfigError(
    'SVC_ERR_AUTH_UNKNOWN_BACKEND',
    `[auth] backend = ${spec} is not a known backend; use memory, sql, ldap or ./module.js#ExportName`,
    config.locate('auth', 'backend'),
  );
}

function backendOptions(config: Config): BackendOptions {
  const options: BackendOptions = {};
  for (const [key, value] of config.items('auth')) if (key !== 'backend') options[key] = value;
  return options;
}

function assertComplete(backend: UserBackend, spec: string, config: Config): void {
  const candidate = backend as unknown as Record<string, unknown> | null;
  const missing =
    typeof candidate === 'object' && candidate !== null
      ? requiredMethods.filter((method) => typeof candidate[method] !== 'function')
      : [...requiredMethods];
  if (missing.length === 0) return;
  throw new ConfigError(
    'SVC_ERR_AUTH_INCOMPLETE_BACKEND',
    `[auth] backend = ${spec} does not provide ${missing.join(', ')}; a user backend needs ${requiredMethods.join(', ')}`,
    config.locate('auth', 'backend'),
  );
}

function withoutCreation(backend: UserBackend): UserBackend {
  return withMethods(backend, { create: refuseCreation });
}

async function refuseCreation(): Promise<never> {
  throw new ServiceError(
    'SVC_ERR_AUTH_CREATION_DISABLED',
    'creation of new users is disabled ([auth] allow_new_users = false)',
    { status: 403 },
  );
}

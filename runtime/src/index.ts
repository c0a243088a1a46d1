// The public API of services-runtime. Each name is exported explicitly; add, never rename.

// configuration: the INI reader, its values and their locations
export { Config, DEFAULT_SECTION } from './config/config.js';
export type {
  ConfigEntry,
  ConfigLocation,
  ConfigValue,
  ScalarValue,
  SectionEntries,
} from './config/config.js';
export { parseConfig } from './config/parse-config.js';
export type { ParseConfigOptions } from './config/parse-config.js';
export { loadConfig } from './config/load-config.js';
export type { LoadConfigOptions } from './config/load-config.js';
export type { ConfigEnv } from './config/interpolate.js';
export { formatIniValue } from './config/format-value.js';

// errors: the coded base class and the two errors services raise or catch themselves
export { ServiceError } from './errors/service-error.js';
export type { ServiceErrorOptions } from './errors/service-error.js';
export { ConfigError } from './errors/config-error.js';
export type { ConfigErrorLocation } from './errors/config-error.js';
export { BackendError } from './errors/backend-error.js';
export type { BackendErrorOptions } from './errors/backend-error.js';

// operational logging
export { createLogger, createMemoryLogger, silentLogger, severities } from './log/logger.js';
export type {
  Level,
  LogFields,
  LogFormat,
  Logger,
  LoggerOptions,
  LogRecord,
} from './log/logger.js';

// authentication: the contracts a backend or authenticator implements
export type {
  Authenticator,
  BackendContext,
  BackendOptions,
  Credentials,
  User,
  UserBackend,
} from './auth/types.js';

// authentication: passwords
export {
  checkPassword,
  hashPassword,
  isMalformedHash,
  needsRehash,
  verifyPassword,
} from './auth/passwords/hash-password.js';
export type { VerifyOutcome } from './auth/passwords/password-scheme.js';
export { verifyAndUpgrade } from './auth/passwords/verify-and-upgrade.js';
export { isStrongPassword } from './auth/passwords/password-strength.js';

// authentication: the authenticator and the built-in backends
export { createAuthenticator } from './auth/create-authenticator.js';
export type { CreateAuthenticatorOptions } from './auth/create-authenticator.js';
export { BasicAuthenticator } from './auth/basic/basic-authenticator.js';
export type { BasicAuthenticatorOptions } from './auth/basic/basic-authenticator.js';
export { loadBackend } from './auth/backend-registry.js';
export type { LoadBackendOptions } from './auth/backend-registry.js';
export { createMemoryBackend, MemoryBackend } from './auth/backends/memory/memory-backend.js';
export { createSqlBackend } from './auth/backends/sql/sql-backend.js';
export { createLdapBackend } from './auth/backends/ldap/ldap-backend.js';
export { escapeDnValue } from './auth/backends/ldap/escape-dn-value.js';
export { escapeFilterValue } from './auth/backends/ldap/escape-filter-value.js';

// CEF security logging
export type { CefConfig, CefEvent, CefLogger, CefRequest } from './cef/cef-event.js';
export { formatCef } from './cef/format-cef.js';
export { parseCef } from './cef/parse-cef.js';
export type { ParsedCef } from './cef/parse-cef.js';
export { createCefLogger } from './cef/create-cef-logger.js';
export type { CefLoggerOptions } from './cef/create-cef-logger.js';

// the service app: routes, controllers, the request context and the heartbeat checks
export { createApp } from './app/create-app.js';
export type { CreateAppOptions } from './app/create-app.js';
export { ServiceApp } from './app/service-app.js';
export type { ServiceAppEvents, ShutdownPhase } from './app/service-app.js';
export type { AccessFormat, AppSettings } from './app/app-settings.js';
export type {
  Action,
  ActionResult,
  Controllers,
  ControllerClass,
  RouteDefinition,
} from './app/route-definition.js';
export type { RequestCefEvent, ServiceContext } from './app/service-context.js';
export type {
  HealthCheck,
  HealthCheckOptions,
  HealthChecks,
  HealthReport,
} from './app/health-checks.js';
export type { BeforeCall } from './middleware/before-call.js';
export { roundTime } from './app/round-time.js';
export { maskSecrets } from './pages/mask-secrets.js';

// serving: one process or a cluster, with the legacy shutdown phases
export { serve } from './serve/serve.js';
export { runService } from './serve/run-service.js';
export type { RunningServer, ServeOptions } from './serve/serve-options.js';
export { resolveConfigFile } from './serve/resolve-config-file.js';
export type { ResolveConfigFileOptions } from './serve/resolve-config-file.js';

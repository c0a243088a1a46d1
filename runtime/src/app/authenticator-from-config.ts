import type { Authenticator } from '../auth/types.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';

interface AuthenticatorFactoryModule {
  createAuthenticator(config: Config, options: { logger: Logger }): Promise<Authenticator>;
}

// the factory lives in the auth area; it is loaded on first use so that services without an
// [auth] section never load the backends
const FACTORY_MODULE = '../auth/create-authenticator.js';

/** Builds the authenticator the `[auth]` section describes (backend, scheme, realm...). */
export async function authenticatorFromConfig(
  config: Config,
  logger: Logger,
): Promise<Authenticator> {
  const factory = (await import(FACTORY_MODULE)) as AuthenticatorFactoryModule;
  return factory.createAuthenticator(config, { logger });
}

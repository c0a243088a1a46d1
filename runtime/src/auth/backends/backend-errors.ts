import type { ConfigLocation } from '../../config/config.js';
import { ServiceError } from '../../errors/service-error.js';
import type { BackendContext } from '../types.js';

/** What every built-in backend throws when asked to create a name that is taken (409). */
export function userExists(username: string): ServiceError {
  return new ServiceError('SVC_ERR_AUTH_USER_EXISTS', `user "${username}" already exists`, {
    status: 409,
  });
}

/** What the SQL and LDAP backends throw for a user name or password they cannot store (400). */
export function invalidInput(message: string): ServiceError {
  return new ServiceError('SVC_ERR_AUTH_INVALID_INPUT', message, { status: 400 });
}

/**
 * Where an error about a backend option points: the key itself when the configuration sets it
 * (a default has no line), else the `[auth] backend` line that chose the backend.
 */
export function optionLocation(context: BackendContext, key: string): ConfigLocation {
  return context.config.has('auth', key) ? context.config.locate('auth', key) : context.location;
}

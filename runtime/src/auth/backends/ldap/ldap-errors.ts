import {
  InappropriateAuthError,
  InsufficientAccessError,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  NoSuchObjectError,
  ResultCodeError,
  UnwillingToPerformError,
} from 'ldapts';
import { BackendError } from '../../../errors/backend-error.js';
import { errorMessage } from '../../../errors/error-message.js';

/**
 * Whether a failed bind is the directory saying "no" to these credentials (wrong password,
 * unknown or malformed DN, an unauthenticated bind refused per RFC 4513 5.1.2), as opposed to the
 * directory being unable to answer.
 */
export function isBindRefusal(error: unknown): boolean {
  return (
    error instanceof InvalidCredentialsError ||
    error instanceof InappropriateAuthError ||
    error instanceof UnwillingToPerformError ||
    error instanceof InsufficientAccessError ||
    error instanceof InvalidDNSyntaxError ||
    error instanceof NoSuchObjectError
  );
}

/** Whether the directory answered that the entry does not exist. */
export function isNoSuchObject(error: unknown): boolean {
  return error instanceof NoSuchObjectError;
}

/**
 * Turns anything else that went wrong while talking to the directory (refused or reset
 * connection, timeout, busy or unavailable server, an unexpected result code) into a
 * `BackendError`, so the request answers 503 and never reads as a refusal.
 */
export function ldapUnavailable(error: unknown, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  const reason =
    error instanceof ResultCodeError ? `result code ${error.code}` : errorMessage(error);
  return new BackendError(`LDAP ${operation} failed: ${reason}`, { backend: 'ldap', cause: error });
}

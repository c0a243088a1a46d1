import { BackendError } from '../../../errors/backend-error.js';
import { errorCode, errorMessage } from '../../../errors/error-message.js';

/** Whether the database refused a row because its unique key is taken. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    code === '23505' || // PostgreSQL unique_violation
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 || // MySQL and MariaDB
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Turns a failure to reach or use the database (refused, reset or timed-out connection, a server
 * that went away, a lock that was never released) into a `BackendError`, so the request answers
 * 503. The driver's error stays as `cause`; its message carries no credentials.
 */
export function sqlUnavailable(error: unknown, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  const reason = errorCode(error) ?? errorMessage(error);
  return new BackendError(`SQL ${operation} failed: ${reason}`, { backend: 'sql', cause: error });
}

import type { Context } from 'koa';
import type { Config, ConfigLocation, ConfigValue } from '../config/config.js';
import type { Logger } from '../log/logger.js';

/** An authenticated (or looked-up) user. */
export interface User {
  username: string;
  id?: string | number | undefined;
  /** Backend-specific attributes (mail, account state, ...). Never a password or a hash. */
  attributes?: Record<string, unknown>;
}

/** What a client sent to log in; `password` is never logged or kept. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * What every user backend (memory, sql, ldap, or a module of the service's own) provides.
 *
 * Wrong credentials are `null` or `false`, never an exception. An unavailable database or
 * directory throws `BackendError` (503 with `Retry-After`), never anything that reads as a refusal.
 */
export interface UserBackend {
  /** Backend name for logs and the heartbeat check (`memory`, `sql`, `ldap`, ...). */
  readonly name: string;
  authenticate(credentials: Credentials): Promise<User | null>;
  lookup(username: string): Promise<User | null>;
  /** Creates a user; throws when the name is taken or `allow_new_users = false`. */
  create(username: string, password: string, attributes?: Record<string, unknown>): Promise<User>;
  changePassword(username: string, password: string): Promise<boolean>;
  delete(username: string): Promise<boolean>;
  /** User names, for the `users list` command. */
  list(): Promise<string[]>;
  /** Resolves when the backend can serve; rejects with the reason otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** What a backend's constructor or factory receives besides its own `[auth]` options. */
export interface BackendContext {
  config: Config;
  logger: Logger;
  /** Where `[auth] backend` was written, for errors about the backend's options. */
  location: ConfigLocation;
}

/** The `[auth]` keys other than `backend`, as the backend's options. */
export type BackendOptions = Record<string, ConfigValue>;

/**
 * Decides who is calling. The default reads HTTP Basic credentials and asks the backend; a service
 * can replace it through `createApp({ authenticator })` or `[auth] authenticator = ./m.js#Name`.
 *
 * It resolves with the user, or throws a `ServiceError` with status 401 (carrying
 * `WWW-Authenticate` in its `headers`) or 400. It writes the CEF record of each refusal itself.
 */
export interface Authenticator {
  authenticate(ctx: Context): Promise<User>;
  /** The backend behind it, when there is one, for the heartbeat and the user command. */
  readonly backend?: UserBackend | undefined;
  close?(): Promise<void>;
}

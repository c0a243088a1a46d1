import type { Context } from 'koa';
import type { Config } from '../../config/config.js';
import { BackendError } from '../../errors/backend-error.js';
import { ConfigError } from '../../errors/config-error.js';
import { ServiceError } from '../../errors/service-error.js';
import type { Logger } from '../../log/logger.js';
import type { Authenticator, User, UserBackend } from '../types.js';
import { basicChallenge } from './basic-challenge.js';
import { authFailSignature, refusals, type Refusal } from './basic-refusals.js';
import { parseBasicCredentials } from './parse-basic-credentials.js';
import {
  hasControlCharacter,
  isAcceptableUsername,
  readUsernamePattern,
} from './username-policy.js';

/** The backend to ask, and the configuration whose `[auth]` realm and pattern apply. */
export interface BasicAuthenticatorOptions {
  backend: UserBackend;
  config: Config;
  logger: Logger;
}

/** The default `[auth] realm`. */
const defaultRealm = 'services';

/**
 * The default authenticator: HTTP Basic (RFC 7617) checked against the user backend. Every refusal
 * writes one CEF record (signature `AuthFail`, the legacy names and severities) and throws a
 * `ServiceError`: 401 with `WWW-Authenticate: Basic realm="<[auth] realm>", charset="UTF-8"` in its
 * headers, or 400 for two `Authorization` headers. Input that cannot be valid credentials (bad
 * encoding, empty user or password, a user name outside `[auth] username_pattern`) is refused
 * without asking the backend. An unavailable backend propagates as `BackendError` (503), never as
 * a refusal. On a route with a `username` parameter, it must name the authenticated user.
 *
 * ```ts
 * const authenticator = new BasicAuthenticator({ backend, config, logger });
 * ctx.user = await authenticator.authenticate(ctx);
 * ```
 */
export class BasicAuthenticator implements Authenticator {
  readonly backend: UserBackend;
  readonly #logger: Logger;
  readonly #challenge: string;
  readonly #usernamePattern: RegExp;

  constructor({ backend, config, logger }: BasicAuthenticatorOptions) {
    this.backend = backend;
    this.#logger = logger;
    this.#challenge = basicChallenge(readRealm(config));
    this.#usernamePattern = readUsernamePattern(config);
  }

  async authenticate(ctx: Context): Promise<User> {
    // 1. exactly one Authorization header (Node keeps the first of two without telling)
    if (countAuthorizationHeaders(ctx.req.rawHeaders) > 1) {
      this.#record(ctx, refusals.badEncoding, undefined);
      throw new ServiceError(
        'SVC_ERR_AUTH_DUPLICATE_HEADER',
        'more than one Authorization header',
        {
          status: 400,
        },
      );
    }
    const header = ctx.get('Authorization');
    if (header === '') this.#refuse(ctx, refusals.noHeader, undefined, 'authentication required');

    // 2. the credentials themselves
    const parsed = parseBasicCredentials(header);
    if (!parsed.ok) {
      if (parsed.reason === 'unknown-scheme') this.#refuse(ctx, refusals.unknownScheme, undefined);
      if (parsed.reason === 'password-not-utf8') {
        this.#refuse(ctx, refusals.passwordNotUtf8, parsed.username);
      }
      if (parsed.reason === 'user-not-utf8') this.#refuse(ctx, refusals.badUsername, undefined);
      this.#refuse(ctx, refusals.badEncoding, undefined);
    }
    const { username, password } = parsed;

    // 3. checks that need no backend
    const urlUsername = routeUsername(ctx);
    if (username === '') this.#refuse(ctx, refusals.badEncoding, undefined);
    if (urlUsername !== undefined && urlUsername !== username) {
      this.#refuse(ctx, refusals.urlMismatch, username);
    }
    if (!isAcceptableUsername(this.#usernamePattern, username)) {
      this.#refuse(ctx, refusals.badUsername, username);
    }
    if (password === '') this.#refuse(ctx, refusals.failed, username);

    // 4. the backend
    const user = await this.#askBackend(ctx, username, password);
    if (!user) this.#refuse(ctx, refusals.failed, username);
    if (urlUsername !== undefined && user.username !== urlUsername) {
      this.#refuse(ctx, refusals.urlMismatch, user.username);
    }

    // the password has been used; later middleware and debug output need not see it
    delete ctx.req.headers.authorization;
    ctx.user = user;
    return user;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  async #askBackend(ctx: Context, username: string, password: string): Promise<User | null> {
    try {
      return await this.backend.authenticate({ username, password });
    } catch (error) {
      if (error instanceof BackendError) this.#record(ctx, refusals.backendDown, username);
      throw error;
    }
  }

  #refuse(
    ctx: Context,
    refusal: Refusal,
    username: string | undefined,
    message = 'invalid credentials',
  ): never {
    this.#record(ctx, refusal, username);
    throw new ServiceError('SVC_ERR_AUTH_UNAUTHORIZED', message, {
      status: 401,
      headers: { 'WWW-Authenticate': this.#challenge },
    });
  }

  #record(ctx: Context, refusal: Refusal, username: string | undefined): void {
    ctx.cef({
      name: refusal.name,
      severity: refusal.severity,
      signature: authFailSignature,
      username: username ?? 'none',
    });
    this.#logger.debug('auth.refused', { reason: refusal.name });
  }
}

function countAuthorizationHeaders(rawHeaders: string[]): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}

function routeUsername(ctx: Context): string | undefined {
  const params = (ctx as Context & { params?: Record<string, string | undefined> }).params;
  return params?.username;
}

function readRealm(config: Config): string {
  const realm = config.getString('auth', 'realm', defaultRealm);
  if (hasControlCharacter(realm)) {
    throw new ConfigError(
      'SVC_ERR_AUTH_BAD_REALM',
      '[auth] realm cannot contain control characters; it is sent in the WWW-Authenticate header',
      config.locate('auth', 'realm'),
    );
  }
  return realm;
}

import { createServer, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import type { RequestCefEvent } from '../../app/service-context.js';
import { BackendError } from '../../errors/backend-error.js';
import { silentLogger } from '../../log/logger.js';
import { listenOnLoopback } from '../../test-support/listen-on-loopback.js';
import type { Authenticator, Credentials, User, UserBackend } from '../types.js';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface AuthTestApp {
  events: RequestCefEvent[];
  /** Sends a request; `headers` may be a flat raw list to repeat a header. */
  request(path: string, headers?: OutgoingHttpHeaders | string[]): Promise<TestResponse>;
  close(): Promise<void>;
}

/**
 * A minimal Koa app on 127.0.0.1 around an authenticator: `/1.0/:username/secret` and `/secret`
 * require authentication, errors answer with their status, headers and message, and a
 * BackendError answers 503 with Retry-After as the runtime's error catcher does.
 */
export async function startAuthTestApp(authenticator: Authenticator): Promise<AuthTestApp> {
  const events: RequestCefEvent[] = [];
  const app = new Koa();
  app.use(async (ctx, next) => {
    ctx.cef = (event) => events.push(event);
    ctx.log = silentLogger;
    ctx.clientAddress = '127.0.0.1';
    try {
      await next();
    } catch (error) {
      const failure = error as {
        status?: number;
        headers?: Record<string, string>;
        message: string;
      };
      ctx.status = failure.status ?? 500;
      if (error instanceof BackendError) ctx.set('Retry-After', '30');
      for (const [name, value] of Object.entries(failure.headers ?? {})) ctx.set(name, value);
      ctx.body = ctx.status < 500 ? failure.message : 'server error';
    }
  });
  const router = new Router();
  const secret = async (ctx: Koa.Context): Promise<void> => {
    const user = await authenticator.authenticate(ctx);
    const headerLeft = ctx.req.headers.authorization !== undefined;
    ctx.body = JSON.stringify({ username: user.username, id: user.id ?? null, headerLeft });
  };
  router.get('/1.0/:username/secret', secret);
  router.get('/secret', secret);
  app.use(router.routes());

  const server = createServer(app.callback());
  const port = await listenOnLoopback(server);
  return {
    events,
    request: (path, headers = {}) => send(port, path, headers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders | string[],
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** `Basic base64(bytes)` for a user and password given as text or raw bytes. */
export function basicHeader(username: string | Uint8Array, password: string | Uint8Array): string {
  const bytes = Buffer.concat([toBytes(username), Buffer.from(':'), toBytes(password)]);
  return `Basic ${bytes.toString('base64')}`;
}

function toBytes(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

/** Wraps a backend to count `authenticate` calls, or to fail them all with a BackendError. */
export function spyBackend(
  backend: UserBackend,
): UserBackend & { calls: Credentials[]; down: boolean } {
  const spy = {
    calls: [] as Credentials[],
    down: false,
  };
  return new Proxy(backend, {
    get(target, property, receiver) {
      if (property === 'calls') return spy.calls;
      if (property === 'down') return spy.down;
      if (property === 'authenticate') {
        return async (credentials: Credentials): Promise<User | null> => {
          spy.calls.push(credentials);
          if (spy.down) throw new BackendError('directory unreachable', { backend: 'test' });
          return target.authenticate(credentials);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_target, property, value) {
      if (property === 'down') spy.down = Boolean(value);
      return true;
    },
  }) as UserBackend & { calls: Credentials[]; down: boolean };
}

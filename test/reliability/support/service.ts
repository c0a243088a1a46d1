// The service every reliability suite runs: a real server built through the public API from an
// INI text, with its operational log captured as the JSON lines it would print.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  BackendError,
  createApp,
  createLogger,
  parseConfig,
  serve,
  type Config,
  type Controllers,
  type RouteDefinition,
  type RunningServer,
  type ServiceApp,
} from '../../../runtime/src/index.js';

export const routes: RouteDefinition[] = [
  { method: 'GET', path: '/', controller: 'demo', action: 'hello' },
  { method: 'GET', path: '/1.0/{username}/info', controller: 'demo', action: 'info', auth: true },
  { method: 'GET', path: '/private', controller: 'demo', action: 'info', auth: true },
  { method: 'POST', path: '/echo', controller: 'demo', action: 'echo' },
  { method: 'GET', path: '/boom', controller: 'demo', action: 'boom' },
  { method: 'GET', path: '/unavailable', controller: 'demo', action: 'unavailable' },
];

export const controllers: Controllers = {
  demo: {
    hello: () => 'hello',
    info: (ctx: { user?: { username: string } }) => ({ username: ctx.user?.username }),
    echo: (ctx: { request: { body?: unknown } }) => ({ received: ctx.request.body ?? null }),
    boom: () => {
      throw new Error('the action failed');
    },
    unavailable: () => {
      throw new BackendError('storage is resting', { backend: 'storage', retryAfter: 7 });
    },
  },
};

/** The operational log as printed: one JSON text per record. */
export interface CapturedLog {
  lines: string[];
  records(): Array<{ Type: string; Fields: Record<string, unknown> }>;
  logger: ReturnType<typeof createLogger>;
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
      done();
    },
  });
  const logger = createLogger({ name: 'reliability', stream, level: 'debug' });
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as { Type: string; Fields: never }),
    logger,
  };
}

/** A temporary folder for one suite's config, CEF file and databases. */
export interface Workspace {
  dir: string;
  /** Writes `text` as `name` in the folder and parses it as that file. */
  config(text: string, name?: string): Promise<Config>;
  dispose(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-'));
  return {
    dir,
    config: async (text, name = 'service.ini') => {
      const file = join(dir, name);
      await writeFile(file, text);
      return parseConfig(text, { filename: file, env: {} });
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A service started with `serve()`, which applies the `[server]` limits and timeouts. */
export interface ServedService {
  server: RunningServer;
  port: number;
  log: CapturedLog;
  close(): Promise<void>;
}

export async function serveService(config: Config): Promise<ServedService> {
  const log = captureLog();
  const server = await serve({ config, routes, controllers, logger: log.logger, signals: false });
  return { server, port: server.port, log, close: () => server.close() };
}

/** A service built with `createApp`, so that the suite can read the app's own counters. */
export interface AppService {
  app: ServiceApp;
  port: number;
  log: CapturedLog;
  close(): Promise<void>;
}

export async function startApp(config: Config): Promise<AppService> {
  const log = captureLog();
  const app = createApp({ config, routes, controllers, logger: log.logger });
  const server = await app.listen(0, '127.0.0.1');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    app,
    port: address.port,
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request through node:http on a fresh connection; the path is sent as written. */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
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
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** `Basic base64(user:password)`. */
export function basic(username: string | Buffer, password: string | Buffer): string {
  const bytes = Buffer.concat([Buffer.from(username), Buffer.from(':'), Buffer.from(password)]);
  return `Basic ${bytes.toString('base64')}`;
}

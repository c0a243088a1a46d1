import fc from 'fast-check';
import Koa, { type Middleware } from 'koa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouter } from './build-router.js';
import { routeDispatch } from './route-dispatch.js';
import { compileRoutePattern } from './route-pattern.js';
import type { ResolvedRoute } from './route-table.js';

/** A route whose action answers with its index in the table. */
function route(index: number, methods: string[], path: string): ResolvedRoute {
  return {
    methods,
    path,
    pattern: compileRoutePattern(path, `route ${index}`),
    controller: 'table',
    action: `route${index}`,
    auth: false,
    invoke: () => `route ${index}`,
  };
}

function singleRouter(routes: ResolvedRoute[]): Middleware {
  const router = buildRouter(routes, () => undefined);
  const matched = router.routes() as Middleware;
  const allowed = router.allowedMethods() as Middleware;
  return (ctx, next) => matched(ctx, () => allowed(ctx, next));
}

interface Answer {
  status: number;
  body: string;
  allow: string | null;
}

/** One server whose routing middleware is swapped per case, so a property run stays cheap. */
let routing: Middleware = async () => {};
let server: Server;
let base: string;

beforeAll(async () => {
  const koa = new Koa();
  koa.use((ctx, next) => routing(ctx, next));
  server = createServer(koa.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function ask(middleware: Middleware, method: string, path: string): Promise<Answer> {
  routing = middleware;
  const response = await fetch(base + path, { method });
  return {
    status: response.status,
    body: await response.text(),
    allow: response.headers.get('allow'),
  };
}

describe('routeDispatch', () => {
  const table = [
    route(0, ['GET'], '/users/:id'),
    route(1, ['GET'], '/:tenant/info'),
    route(2, ['PUT'], '/users/info'),
    route(3, ['GET'], '/{api:1.0|1}/{username:[a-z]+}/profile'),
    route(4, ['GET'], '/'),
  ];
  const dispatch = routeDispatch(table, () => undefined);

  it('sends a path to the routes its first segment names, and to the parameter routes', async () => {
    expect((await ask(dispatch, 'GET', '/users/7')).body).toBe('route 0');
    expect((await ask(dispatch, 'GET', '/acme/info')).body).toBe('route 1');
    expect((await ask(dispatch, 'GET', '/1.0/bob/profile')).body).toBe('route 3');
    expect((await ask(dispatch, 'GET', '/')).body).toBe('route 4');
  });

  it('keeps table order between a literal route and a parameter route', async () => {
    // /users/info matches route 0 (users/:id) and route 1 (:tenant/info); the first one wins
    expect((await ask(dispatch, 'GET', '/users/info')).body).toBe('route 0');
  });

  it('answers 405 with the methods of literal and parameter routes together', async () => {
    const answer = await ask(dispatch, 'POST', '/users/info');
    expect(answer.status).toBe(405);
    expect(answer.allow?.split(/, */).sort()).toEqual(['GET', 'HEAD', 'PUT']);
  });

  it('answers 404 for a path no route matches', async () => {
    expect((await ask(dispatch, 'GET', '/nothing/here/at/all')).status).toBe(404);
  });

  it('answers as one router over the whole table would, for any table and path', async () => {
    const segment = fc.constantFrom('a', 'b', 'a.b', ':p', ':q');
    const path = fc
      .array(segment, { minLength: 0, maxLength: 3 })
      .map((parts) => '/' + parts.join('/'));
    const methods = fc.subarray(['GET', 'PUT', 'DELETE'], { minLength: 1 });
    const tables = fc.array(fc.tuple(methods, path), { minLength: 1, maxLength: 8 });
    const request = fc.tuple(
      fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE'),
      fc
        .array(fc.constantFrom('a', 'b', 'a.b', 'x'), { maxLength: 3 })
        .map((parts) => '/' + parts.join('/')),
    );

    await fc.assert(
      fc.asyncProperty(
        tables,
        fc.array(request, { minLength: 1, maxLength: 4 }),
        async (rows, requests) => {
          const routes = rows.map(([verbs, pattern], index) => route(index, verbs, pattern));
          const single = singleRouter(routes);
          const dispatched = routeDispatch(routes, () => undefined);
          for (const [method, target] of requests) {
            const expected = await ask(single, method, target);
            const answer = await ask(dispatched, method, target);
            expect({ method, target, ...answer }).toEqual({ method, target, ...expected });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

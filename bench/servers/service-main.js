// The in-repo stand-in for a generated service's src/main.ts: the same runService() call, the generated
// route table and controllers. BENCH_EXTRA_ROUTES adds that many routes to the same controller, as
// `create-services-app controller` would, after the generated ones; BENCH_AUTH=1 adds /whoami.
import process from 'node:process';
import { resolveConfigFile, runService } from 'services-runtime';
import { HelloController, WhoamiController } from './controllers.js';

const extraRoutes = Number(process.env.BENCH_EXTRA_ROUTES ?? 0);
const withAuth = process.env.BENCH_AUTH === '1';

const routes = [{ method: 'GET', path: '/hello/:name', controller: 'hello', action: 'greet' }];
const controllers = { hello: HelloController };
if (withAuth) {
  routes.push({ method: 'GET', path: '/whoami', controller: 'whoami', action: 'show', auth: true });
  // the same answer without auth, for the authenticated-route baseline
  routes.push({ method: 'GET', path: '/open', controller: 'open', action: 'show' });
  controllers.whoami = WhoamiController;
  controllers.open = { show: (ctx) => ({ username: ctx.user?.username ?? 'anonymous' }) };
}
for (let index = 1; index <= extraRoutes; index += 1) {
  routes.push({ method: 'GET', path: `/r${index}/:name`, controller: 'hello', action: 'greet' });
}

const configFile = resolveConfigFile({ fallback: 'etc/bench-service.ini' });
await runService({ configFile, routes, controllers });

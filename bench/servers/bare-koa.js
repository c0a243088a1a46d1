// The baseline: bare Koa and @koa/router answering the generated hello route with the same body,
// and nothing else (no request id, log, timestamp header or error catcher).
import process from 'node:process';
import Router from '@koa/router';
import Koa from 'koa';

const service = process.env.BENCH_SERVICE_NAME ?? 'bench-service';
const app = new Koa();
const router = new Router();

router.get('/hello/:name', (ctx) => {
  ctx.body = { greeting: `Hello, ${ctx.params.name}!`, service };
});
router.get('/__lbheartbeat__', (ctx) => {
  ctx.body = {};
});

app.use(router.routes());
app.use(router.allowedMethods());
app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');

// The database and the directory go down and come back while the service runs and requests keep
// coming. The SQL backend reaches the real PostgreSQL or MariaDB, and the LDAP backend a slapd of
// its own, through a TCP relay the suite switches off and on; the service itself is never
// restarted. While the backend is down: 503 with Retry-After (never 401 or 500) and a failing
// heartbeat check of that name, while lbheartbeat still answers 200. Once it is back: the same
// requests succeed again. Every request the service accepted gets a complete answer.
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config, createSqlBackend, silentLogger } from '../../runtime/src/index.js';
import { startSlapd, type Slapd } from '../../runtime/src/test-support/slapd.js';
import { startTcpProxy, type TcpProxy } from '../../runtime/src/test-support/tcp-proxy.js';
import { sqlServers, tableName } from './support/databases.js';
import {
  basic,
  createWorkspace,
  send,
  startApp,
  type AppService,
  type Workspace,
} from './support/service.js';

// how long the service may take to notice that the backend is back (pool reconnect, timeouts)
const recoveryBoundMs = 10_000;

interface Outcome {
  status: number | 'error';
  retryAfter?: string | undefined;
  /** The phase when the request was sent. */
  phase: 'up' | 'down' | 'back';
  /** The phase when its answer (or error) arrived. */
  endPhase: 'up' | 'down' | 'back';
}

/** Keeps `concurrency` authenticated requests in flight over kept-alive sockets until stopped. */
function steadyLoad(
  port: number,
  authorization: string,
  phase: () => Outcome['phase'],
  concurrency = 3,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes: Outcome[] = [];
  let running = true;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const started = phase();
      const outgoing = request(
        { host: '127.0.0.1', port, path: '/private', agent, headers: { authorization } },
        (response) => {
          response.resume();
          response.on('end', () => {
            outcomes.push({
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
              phase: started,
              endPhase: phase(),
            });
            resolve();
          });
          response.on('error', () => {
            outcomes.push({ status: 'error', phase: started, endPhase: phase() });
            resolve();
          });
        },
      );
      outgoing.on('error', () => {
        outcomes.push({ status: 'error', phase: started, endPhase: phase() });
        resolve();
      });
      outgoing.end();
    });
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await one();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

async function heartbeat(
  port: number,
): Promise<{ status: number; checks: Record<string, string> }> {
  const answer = await send(port, '/__heartbeat__');
  return {
    status: answer.status,
    checks: (JSON.parse(answer.body) as { checks: Record<string, string> }).checks,
  };
}

async function waitUntil(
  what: string,
  condition: () => Promise<boolean>,
  boundMs: number,
): Promise<void> {
  const deadline = performance.now() + boundMs;
  while (!(await condition())) {
    if (performance.now() > deadline)
      throw new Error(`${what} did not happen within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the down-and-back sequence against a service whose backend sits behind `proxy`. */
async function outageUnderLoad(
  service: AppService,
  proxy: TcpProxy,
  check: string,
  authorization: string,
): Promise<void> {
  let phase: Outcome['phase'] = 'up';
  expect(await heartbeat(service.port)).toEqual({ status: 200, checks: { [check]: 'ok' } });
  const load = steadyLoad(service.port, authorization, () => phase);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));

    // 1. down
    proxy.down();
    phase = 'down';
    await waitUntil(
      'a 503 while the backend is down',
      async () => load.outcomes.some((o) => o.phase === 'down' && o.status === 503),
      recoveryBoundMs,
    );
    const failing = await heartbeat(service.port);
    expect(failing.status).toBe(503);
    expect(failing.checks[check]).toBe('error');
    expect((await send(service.port, '/__lbheartbeat__')).status).toBe(200);
    const refused = await send(service.port, '/private', { headers: { authorization } });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['www-authenticate']).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // 2. back
    proxy.up();
    phase = 'back';
    await waitUntil(
      'a 200 once the backend is back',
      async () =>
        (await send(service.port, '/private', { headers: { authorization } })).status === 200,
      recoveryBoundMs,
    );
    await waitUntil(
      'a passing heartbeat',
      async () => (await heartbeat(service.port)).status === 200,
      recoveryBoundMs,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await load.stop();
  }

  const outcomes = load.outcomes;
  // every accepted request got a complete answer, and only these ones
  expect(outcomes.filter((o) => o.status === 'error')).toEqual([]);
  expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
  // a request in flight when the relay went down may get a 503; one answered before may not
  expect(outcomes.filter((o) => o.endPhase === 'up' && o.status !== 200)).toEqual([]);
  for (const outcome of outcomes.filter((o) => o.status === 503)) {
    expect(Number(outcome.retryAfter)).toBeGreaterThan(0);
  }
  expect(outcomes.filter((o) => o.phase === 'down' && o.status === 503).length).toBeGreaterThan(0);
  // after the recovery, the last requests of the load all succeeded
  const last = outcomes.filter((o) => o.phase === 'back').slice(-5);
  expect(last.length).toBeGreaterThan(0);
  expect(last.every((o) => o.status === 200)).toBe(true);
  // the outage was logged as backend errors, never as a crash of the service's own
  const errors = service.log.records().filter((record) => record.Type === 'app.error');
  expect(errors.filter((record) => record.Fields.backend === undefined)).toEqual([]);
}

let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
});

afterAll(async () => {
  await workspace?.dispose();
});

describe.each(sqlServers)('the SQL backend on $name goes down and comes back', (server) => {
  const table = tableName('rel_outage');
  let proxy: TcpProxy;
  let service: AppService;

  beforeAll(async () => {
    proxy = await startTcpProxy(server.port);
    const seed = await createSqlBackend(
      { sqluri: server.uri(server.port), table },
      {
        config: Config.fromObject({ auth: {} }),
        logger: silentLogger,
        location: { file: 'seed', line: 1 },
      },
    );
    await seed.create('olga', 'olga password');
    await seed.close?.();
    const config = await workspace.config(
      `
[global]
retry_after = 3
heartbeat_timeout = 2

[auth]
backend = sql
sqluri = ${server.uri(proxy.port)}
table = ${table}
connect_timeout = 1
query_timeout = 1
pool_size = 4
`,
      `${server.name}.ini`,
    );
    service = await startApp(config);
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.close();
    await server.dropTable(table);
  });

  it('answers 503 with Retry-After and a failing sql check while down, and logins again once back', async () => {
    await outageUnderLoad(service, proxy, 'sql', basic('olga', 'olga password'));
  }, 40_000);
});

describe('the LDAP backend goes down and comes back', () => {
  let slapd: Slapd;
  let proxy: TcpProxy;
  let service: AppService;

  beforeAll(async () => {
    slapd = await startSlapd();
    proxy = await startTcpProxy(slapd.port);
    const config = await workspace.config(
      `
[global]
retry_after = 3

[auth]
backend = ldap
ldapuri = ldap://127.0.0.1:${proxy.port}
bind = ${slapd.adminDn}
passwd = ${slapd.adminPassword}
search_root = ou=people,${slapd.suffix}
timeout = 1
connect_timeout = 1
`,
      'ldap.ini',
    );
    service = await startApp(config);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await proxy?.close();
    await slapd?.dispose();
  });

  it('answers 503 with Retry-After and a failing ldap check while down, and logins again once back', async () => {
    await outageUnderLoad(service, proxy, 'ldap', basic('alice', 'alicepw'));
  }, 40_000);
});

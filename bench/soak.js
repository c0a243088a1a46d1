// npm run soak: a service with HTTP Basic auth (sql backend on a SQLite file, login cache on)
// under sustained load for SOAK_SECONDS (30) with SOAK_CONNECTIONS (20) connections, a share of
// them (SOAK_WRONG_SHARE, 0.1) sending a wrong password. Every good request must get 200 and every
// wrong one 401; any other status, a socket error or a timeout is unexpected and the exit code is 1.
import { clearInterval, setInterval } from 'node:timers';
import console from 'node:console';
import process from 'node:process';
import autocannon from 'autocannon';
import { describeMachine, loadAverage } from './lib/machine.js';
import { withServer } from './lib/measure-server.js';
import { machineLines, markdownTable, writeDocSection } from './lib/report.js';
import {
  basicAuthorization,
  benchConfig,
  freshSqliteUsers,
  prepareService,
  serverOptions,
} from './lib/service-fixture.js';

const seconds = positive('SOAK_SECONDS', 30);
const connections = Math.round(positive('SOAK_CONNECTIONS', 20));
const wrongShare = positive('SOAK_WRONG_SHARE', 0.1);
const cacheTtl = 60;
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);

const machine = describeMachine();
const loadAtStart = loadAverage();

// 1. the service, its user and its config
const service = await prepareService({ auth: 'sql' });
const env = await freshSqliteUsers(service);
const config = benchConfig(service, 'soak', { cacheTtl });
const wrongConnections = Math.max(1, Math.round(connections * wrongShare));
const goodConnections = Math.max(1, connections - wrongConnections);

// 2. the load, with memory read at the start, every few seconds and at the end
const outcome = await withServer(serverOptions(service, config, env), async (server) => {
  const start = await server.memory();
  const samples = sampleMemory(server);
  const url = `${server.url}/whoami`;
  const [good, wrong] = await Promise.all([
    load(url, goodConnections, basicAuthorization()),
    load(url, wrongConnections, basicAuthorization('not-the-password')),
  ]);
  const peak = await samples.stop();
  const end = await server.memory();
  return { start, peak, end, good, wrong };
});

// 3. the verdict, the tables, the doc
const problems = findProblems(outcome);
const text = render(outcome, problems);
console.log(text);
writeDocSection('soak', text);
console.log('\nwritten to docs/performance.md');
process.exit(problems.length > 0 ? 1 : 0);

function load(url, count, authorization) {
  return new Promise((resolve, reject) => {
    const options = { url, connections: count, duration: seconds, headers: { authorization } };
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function sampleMemory(server) {
  const peak = { rss: 0, heapUsed: 0 };
  const timer = setInterval(async () => {
    const usage = await server.memory().catch(() => undefined);
    if (!usage) return;
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  }, 2000);
  return {
    stop: async () => {
      clearInterval(timer);
      return peak;
    },
  };
}

function statusCounts(result) {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
  );
}

function findProblems({ good, wrong }) {
  const problems = [];
  const goodStatuses = statusCounts(good);
  const wrongStatuses = statusCounts(wrong);
  for (const [code, count] of Object.entries(goodStatuses)) {
    if (code !== '200') problems.push(`${count} right-password requests got ${code}`);
  }
  for (const [code, count] of Object.entries(wrongStatuses)) {
    if (code !== '401') problems.push(`${count} wrong-password requests got ${code}`);
  }
  for (const [name, result] of [
    ['right-password', good],
    ['wrong-password', wrong],
  ]) {
    if (result.errors > 0) problems.push(`${result.errors} socket errors on ${name} requests`);
    if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts on ${name} requests`);
    if (result.requests.total === 0) problems.push(`no ${name} request was answered`);
  }
  return problems;
}

function render({ start, peak, end, good, wrong }, problems) {
  const row = (label, result, expected) => {
    const statuses = statusCounts(result);
    const others = Object.entries(statuses).filter(([code]) => code !== expected);
    return {
      requests: label,
      connections: result.connections,
      answered: result.requests.total,
      'expected status': `${expected}: ${statuses[expected] ?? 0}`,
      'other status': others.map(([code, count]) => `${code}: ${count}`).join(', ') || '0',
      errors: result.errors + result.timeouts,
      'req/s min / avg / max': `${result.requests.min} / ${result.requests.average.toFixed(0)} / ${result.requests.max}`,
      'p50 ms': result.latency.p50,
      'p90 ms': result.latency.p90,
      'p99 ms': result.latency.p99,
      'max ms': result.latency.max,
    };
  };
  const requests = [row('right password', good, '200'), row('wrong password', wrong, '401')];
  const memory = [
    { when: 'start (idle)', 'RSS MiB': mib(start.rss), 'heap used MiB': mib(start.heapUsed) },
    {
      when: 'peak of samples every 2 s',
      'RSS MiB': mib(peak.rss),
      'heap used MiB': mib(peak.heapUsed),
    },
    { when: 'end (right after load)', 'RSS MiB': mib(end.rss), 'heap used MiB': mib(end.heapUsed) },
  ];
  const verdict =
    problems.length === 0
      ? '**Result: pass.** No socket error, no timeout, every right-password request 200, every wrong-password request 401.'
      : `**Result: FAIL.**\n\n${problems.map((problem) => `- ${problem}`).join('\n')}`;
  const source =
    service.source === 'generated'
      ? `a service generated with --auth sql --database sqlite (${service.dir}), node dist/main.js`
      : `the in-repo stand-in bench/servers/service-main.js (${service.fallbackReason})`;
  return [
    '## Soak (`npm run soak`)',
    '',
    machineLines(machine, {
      'load average at start / end': `${loadAtStart} / ${loadAverage()}`,
      service: source,
      load: `GET /whoami with HTTP Basic for ${seconds} s, ${connections} connections (${wrongConnections} with a wrong password), sql backend on a SQLite file, cache_ttl = ${cacheTtl}`,
    }),
    '',
    markdownTable(requests),
    '',
    markdownTable(memory),
    '',
    verdict,
  ].join('\n');
}

function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

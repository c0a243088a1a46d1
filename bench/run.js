// npm run bench: runs each benchmark, prints its tables and writes them to docs/performance.md.
// BENCH_ONLY=auth,memory runs some of them; BENCH_SECONDS, BENCH_WARMUP_SECONDS,
// BENCH_CONNECTIONS, BENCH_GENERATION_RUNS and BENCH_PROFILE (auto|always|never) tune the runs.
import console from 'node:console';
import process from 'node:process';
import { authenticatedRoute } from './auth.js';
import { fullStack } from './full-stack.js';
import { generationTime } from './generation.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import { machineLines, markdownTable, writeDocSection } from './lib/report.js';
import { settings } from './lib/settings.js';
import { memory } from './memory.js';
import { routeCount } from './route-count.js';
import { workerCount } from './workers.js';

const benchmarks = {
  'full-stack': fullStack,
  auth: authenticatedRoute,
  workers: workerCount,
  routes: routeCount,
  memory,
  generation: generationTime,
};

const machine = describeMachine();
const loadAtStart = loadAverage();
const chosen = chooseBenchmarks(process.env.BENCH_ONLY);
const sections = [];
const ratioRows = [];
let failed = false;

console.log(machineLines(machine, { 'load average at start': loadAtStart }));
for (const name of chosen) {
  console.log(`\n## ${name} (load average ${loadAverage()})`);
  try {
    const section = await benchmarks[name]();
    const text = renderSection(section);
    console.log(text);
    sections.push(text);
    ratioRows.push(...section.ratios.map((entry) => ratioRow(entry)));
  } catch (error) {
    failed = true;
    const text = `### ${name}\n\nThis benchmark failed: ${String(error?.stack ?? error)}`;
    console.error(text);
    sections.push(text);
  }
}

const summary = markdownTable(ratioRows);
console.log(`\n## Ratios\n\n${summary}`);
// a partial run would replace the full tables with a few: it only prints
if (process.env.BENCH_ONLY) {
  console.log('\nBENCH_ONLY is set: docs/performance.md is left as it was');
} else {
  writeDocSection('bench', renderDoc(summary, sections));
  console.log('\nwritten to docs/performance.md');
}
process.exit(failed ? 1 : 0);

function chooseBenchmarks(only) {
  if (!only) return Object.keys(benchmarks);
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY: unknown ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`,
    );
  }
  return names;
}

function renderSection(section) {
  const parts = [`### ${section.title}`, '', section.setup, ''];
  if (section.measurements.length > 0) {
    parts.push(markdownTable(section.measurements.map(measurementRow)), '');
  }
  if (section.extraTable) parts.push(markdownTable(section.extraTable), '');
  if (section.ratios.length > 0) {
    parts.push(markdownTable(section.ratios.map(ratioRow)), '');
  }
  for (const profile of section.profiles) parts.push(renderProfile(profile), '');
  for (const note of section.notes ?? []) parts.push(note, '');
  return parts.join('\n').trimEnd();
}

function measurementRow(entry) {
  const others = Object.entries(entry.statusCounts)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ');
  return {
    server: entry.label,
    'req/s': entry.requestsPerSecond.toFixed(0),
    'server CPU %': entry.cpuPercent === undefined ? 'n/a' : entry.cpuPercent.toFixed(0),
    'CPU µs/req':
      entry.cpuMicrosPerRequest === undefined ? 'n/a' : entry.cpuMicrosPerRequest.toFixed(0),
    'mean ms': Number.isNaN(entry.mean) ? 'n/a' : entry.mean.toFixed(2),
    'p50 ms': milliseconds(entry.p50),
    'p90 ms': milliseconds(entry.p90),
    'p99 ms': milliseconds(entry.p99),
    'max ms': milliseconds(entry.max),
    requests: entry.total,
    errors: entry.errors + entry.timeouts,
    'non-2xx': entry.non2xx === 0 ? '0' : `${entry.non2xx} (${others})`,
    'load avg after': entry.loadAverage,
  };
}

// a tiny ratio keeps two significant digits: 0.0008 is not 0.00
function formatRatio(value) {
  if (Number.isNaN(value)) return 'n/a';
  return value !== 0 && Math.abs(value) < 0.01 ? value.toPrecision(2) : value.toFixed(2);
}

function milliseconds(value) {
  return Number.isNaN(value) ? 'n/a' : String(value);
}

function ratioRow(entry) {
  return {
    comparison: entry.comparison,
    metric: entry.metric,
    baseline: entry.baseline,
    candidate: entry.candidate,
    ratio: formatRatio(entry.ratio),
    better: entry.better,
  };
}

function renderProfile(profile) {
  const percent = (share) => (share * 100).toFixed(1);
  const functions = profile.functions.map((entry) => ({
    'busy %': percent(entry.share),
    'self ms': entry.milliseconds.toFixed(0),
    function: entry.name,
    where: entry.where || '(V8 / native)',
  }));
  const perRequest = (entry) =>
    profile.requests ? ((1000 * entry.milliseconds) / profile.requests).toFixed(1) : 'n/a';
  const packages = profile.packages.map((entry) => ({
    'busy %': percent(entry.share),
    'self ms': entry.milliseconds.toFixed(0),
    ...(profile.requests ? { 'self µs/req': perRequest(entry) } : {}),
    package: entry.name,
  }));
  const runtime = profile.runtimeFunctions.map((entry) => ({
    'busy %': percent(entry.share),
    'self µs/req': perRequest(entry),
    'services-runtime function': entry.name,
    where: entry.where,
  }));
  return [
    `CPU profile of "${profile.label}" (node --cpu-prof, ` +
      `${profile.detail ?? `same load, ${profile.requestsPerSecond.toFixed(0)} req/s while profiled`}; ` +
      `${profile.busyMilliseconds.toFixed(0)} ms busy, idle ${percent(profile.idleShare)} % of ` +
      'the process life, start-up included; ' +
      `${percent(profile.moduleLoadingShare)} % of the busy time is under the module loader). ` +
      'Self time by package, then by function:',
    '',
    markdownTable(packages),
    '',
    markdownTable(functions),
    ...(runtime.length > 0 ? ['', markdownTable(runtime)] : []),
  ].join('\n');
}

function renderDoc(summary, parts) {
  const header = machineLines(machine, {
    'load average at start / end': `${loadAtStart} / ${loadAverage()}`,
    'each measurement': `${settings.warmupSeconds} s warm-up, then ${settings.seconds} s, ${settings.connections} connections, autocannon 9 in the bench process, server in a child process, 127.0.0.1`,
  });
  return [
    '## Benchmarks (`npm run bench`)',
    '',
    header,
    '',
    'A ratio is candidate / baseline from the same run; `better` says which direction is good.',
    '',
    summary,
    '',
    ...parts.flatMap((part) => [part, '']),
  ].join('\n');
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './service-fixture.js';

/**
 * Summarises the newest .cpuprofile of `dir`: the functions with the most self time, as
 * `{ share, milliseconds, name, where }`, and the same time grouped by package. Self time is the
 * sum of the sampling intervals during which the function itself (not a callee) was on top of
 * the stack. Shares are of the busy time: `(idle)` is left out and reported as `idleShare`;
 * garbage collection is kept under its V8 name, because it matters here too.
 */
export function summariseProfile(dir, count = 10) {
  const profile = JSON.parse(readFileSync(newestProfile(dir), 'utf8'));
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  let all = 0;

  // samples[i] was on top during timeDeltas[i + 1]; the last sample has no measured end
  for (let index = 0; index < profile.samples.length - 1; index += 1) {
    const node = byNode.get(profile.samples[index]);
    const delta = profile.timeDeltas[index + 1] ?? 0;
    if (!node || delta < 0) continue;
    const key = frameKey(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + delta);
    all += delta;
  }

  const loading = moduleLoadingMicros(profile, byNode);
  const idle = totals.get('(idle)\t') ?? 0;
  totals.delete('(idle)\t');
  const busy = all - idle;
  const packages = new Map();
  for (const [key, micros] of totals) {
    const where = packageOf(key.split('\t')[1]);
    packages.set(where, (packages.get(where) ?? 0) + micros);
  }
  return {
    idleShare: all > 0 ? idle / all : 0,
    busyMilliseconds: busy / 1000,
    moduleLoadingShare: busy > 0 ? loading / busy : 0,
    functions: largest(totals, count, busy).map(({ key, ...entry }) => {
      const [name, where] = key.split('\t');
      return { ...entry, name, where };
    }),
    packages: largest(packages, 6, busy).map(({ key, ...entry }) => ({ ...entry, name: key })),
    runtimeFunctions: largest(runtimeOnly(totals), 5, busy).map(({ key, ...entry }) => {
      const [name, where] = key.split('\t');
      return { ...entry, name, where };
    }),
  };
}

function runtimeOnly(totals) {
  return new Map(
    [...totals].filter(([key]) => packageOf(key.split('\t')[1]) === 'services-runtime'),
  );
}

// time with a module loader frame anywhere on the stack: start-up cost, whatever ran beneath it
function moduleLoadingMicros(profile, byNode) {
  const parents = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const memo = new Map();
  const loads = (id) => {
    if (id === undefined) return false;
    if (memo.has(id)) return memo.get(id);
    const url = byNode.get(id)?.callFrame.url ?? '';
    const result = url.startsWith('node:internal/modules/') || loads(parents.get(id));
    memo.set(id, result);
    return result;
  };
  let micros = 0;
  for (let index = 0; index < profile.samples.length - 1; index += 1) {
    if (loads(profile.samples[index])) micros += Math.max(0, profile.timeDeltas[index + 1] ?? 0);
  }
  return micros;
}

function largest(totals, count, busy) {
  return [...totals.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(([key, micros]) => ({ key, share: micros / busy, milliseconds: micros / 1000 }));
}

// the package a frame belongs to: a node_modules package, node's own code, or V8 and native code
function packageOf(where) {
  if (!where) return 'V8 / native (GC, syscalls, program)';
  if (where.startsWith('node:')) return 'node core (node:*)';
  if (where.startsWith('runtime/') || where.includes('services-runtime/'))
    return 'services-runtime';
  const scoped = where.match(/^(@[^/]+\/[^/]+|[^/]+)\//);
  return scoped ? scoped[1] : where;
}

function newestProfile(dir) {
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files.sort().at(-1));
}

function frameKey({ functionName, url, lineNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) return `${name}\t`;
  const path = url.replace(/^file:\/\//, '').replace(`${repositoryRoot}/`, '');
  return `${name}\t${shorten(path)}:${lineNumber + 1}`;
}

// node_modules paths are long; the package and file are what a reader needs
function shorten(path) {
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  return at === -1 ? path : path.slice(at + marker.length);
}

import { Session } from 'node:inspector/promises';
import type { Context, Middleware } from 'koa';
import { answer } from '../app/http-answer.js';
import { escapeHtml } from '../pages/escape-html.js';
import { isLoopback } from '../pages/loopback.js';

export interface ProfilerOptions {
  /** `global.debug_page_public`: answer clients that are not on loopback too. */
  open: boolean;
}

export interface Profiler {
  middleware: Middleware;
  /** Ends a profile in progress and disconnects from the inspector. */
  stop(): Promise<void>;
}

/** One function of a profile and the time spent in its own code. */
interface HotFunction {
  functionName: string;
  location: string;
  selfMs: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

const ROOT = '/__profile__';
const TOP = 20;

/**
 * The V8 CPU profiler behind `global.profile = true`, driven by hand from loopback:
 * `POST /__profile__/start` begins a profile, `POST /__profile__/stop` ends it and keeps it,
 * `GET /__profile__` lists the 20 functions with the most self time in the last profile, and
 * `GET /__profile__/download` returns it as a `.cpuprofile` file (Chrome DevTools, speedscope).
 * Other clients get 404, as for the debug page.
 */
export function profiler({ open }: ProfilerOptions): Profiler {
  const state = new ProfilerState();

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== ROOT && !ctx.path.startsWith(`${ROOT}/`)) return next();
    if (!open && !isLoopback(ctx.clientAddress)) return next();

    const action = `${ctx.method} ${ctx.path.slice(ROOT.length) || '/'}`;
    if (action === 'POST /start') return startProfile(ctx, state);
    if (action === 'POST /stop') return stopProfile(ctx, state);
    if (action === 'GET /' || action === 'HEAD /') return showProfile(ctx, state);
    if (action === 'GET /download' || action === 'HEAD /download')
      return downloadProfile(ctx, state);
    return next();
  };

  return { middleware, stop: () => state.close() };
}

class ProfilerState {
  #inspector: Session | undefined;
  running = false;
  last: CpuProfile | undefined;

  async start(): Promise<void> {
    if (!this.#inspector) {
      this.#inspector = new Session();
      this.#inspector.connect();
      await this.#inspector.post('Profiler.enable');
    }
    await this.#inspector.post('Profiler.start');
    this.running = true;
  }

  async stop(): Promise<CpuProfile> {
    const result = (await this.#inspector!.post('Profiler.stop')) as { profile: CpuProfile };
    this.running = false;
    this.last = result.profile;
    return result.profile;
  }

  async close(): Promise<void> {
    if (this.running) await this.stop();
    this.#inspector?.disconnect();
    this.#inspector = undefined;
  }
}

async function startProfile(ctx: Context, state: ProfilerState): Promise<void> {
  if (state.running) return answer(ctx, 409, 'a profile is already running');
  await state.start();
  ctx.status = 202;
  ctx.body = { status: 'running' };
}

async function stopProfile(ctx: Context, state: ProfilerState): Promise<void> {
  if (!state.running) return answer(ctx, 409, 'no profile is running');
  const profile = await state.stop();
  ctx.body = { status: 'stopped', hottest: hottestFunctions(profile) };
}

function showProfile(ctx: Context, state: ProfilerState): void {
  const hottest = state.last ? hottestFunctions(state.last) : [];
  if (ctx.accepts('json', 'html') !== 'html') {
    ctx.body = {
      running: state.running,
      hottest,
      download: state.last ? `${ROOT}/download` : null,
    };
    return;
  }
  const rows = hottest.map(
    (entry) =>
      `<tr><td>${entry.selfMs.toFixed(1)}</td><td>${escapeHtml(entry.functionName)}</td><td>${escapeHtml(entry.location)}</td></tr>`,
  );
  ctx.type = 'html';
  ctx.body = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Profile</title></head><body>',
    `<h1>Profile</h1><p>${state.running ? 'A profile is running.' : 'No profile is running.'}</p>`,
    state.last
      ? `<p><a href="${ROOT}/download">Download the last profile</a></p>`
      : '<p>No profile yet.</p>',
    '<table><tr><th>self ms</th><th>function</th><th>location</th></tr>',
    ...rows,
    '</table></body></html>',
    '',
  ].join('\n');
}

function downloadProfile(ctx: Context, state: ProfilerState): void {
  if (!state.last) return answer(ctx, 404);
  ctx.attachment('profile.cpuprofile');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(state.last);
}

/** The functions with the most self time, aggregated by name and location, top 20. */
function hottestFunctions(profile: CpuProfile): HotFunction[] {
  const byNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((node, index) =>
    byNode.set(node, (byNode.get(node) ?? 0) + (deltas[index] ?? 0)),
  );

  const byFunction = new Map<string, HotFunction>();
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id);
    if (!micros) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const entry = {
      functionName: functionName || '(anonymous)',
      location: url ? `${url}:${lineNumber + 1}` : '(native)',
      selfMs: 0,
    };
    const key = `${entry.functionName} ${entry.location}`;
    const known = byFunction.get(key) ?? entry;
    known.selfMs += micros / 1000;
    byFunction.set(key, known);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, TOP);
}

// The knobs every benchmark shares, read once from the environment.

function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export const settings = {
  /** Seconds of each measurement. */
  seconds: positive('BENCH_SECONDS', 5),
  /** Seconds of load before each measurement, not counted. */
  warmupSeconds: positive('BENCH_WARMUP_SECONDS', 1),
  /** Concurrent connections of each load run. */
  connections: positive('BENCH_CONNECTIONS', 20),
  /** Runs of each generator for the generation-time median. */
  generationRuns: positive('BENCH_GENERATION_RUNS', 5),
  /** `auto` profiles a poor ratio, `always` every candidate, `never` none. */
  profile: process.env.BENCH_PROFILE ?? 'auto',
};
import process from 'node:process';

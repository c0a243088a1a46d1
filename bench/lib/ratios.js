/**
 * One line of the ratio table: `candidate / baseline` for a metric, with the direction that is
 * better, so that a reader never has to guess whether 0.8 is good.
 */
export function ratio(comparison, metric, baseline, candidate, better, unit = '') {
  return {
    comparison,
    metric,
    baseline: formatValue(baseline, unit),
    candidate: formatValue(candidate, unit),
    ratio: baseline > 0 && Number.isFinite(candidate) ? candidate / baseline : Number.NaN,
    better,
  };
}

function formatValue(value, unit) {
  if (!Number.isFinite(value)) return 'n/a';
  const text = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 0);
  return unit ? `${text} ${unit}` : text;
}

/**
 * The server CPU time per request of two measurements, candidate / baseline, or nothing where
 * /proc could not be read.
 */
export function cpuRatio(comparison, baseline, candidate) {
  if (baseline.cpuMicrosPerRequest === undefined || candidate.cpuMicrosPerRequest === undefined) {
    return [];
  }
  const metric = 'server CPU µs/req';
  return [
    ratio(comparison, metric, baseline.cpuMicrosPerRequest, candidate.cpuMicrosPerRequest, 'lower'),
  ];
}

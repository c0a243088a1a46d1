import type { ConfigValue } from './config.js';

const DECIMAL_PATTERN = /^[0-9]+(\.[0-9]+)?$/;

/**
 * A duration written in seconds, in milliseconds, or `undefined` when the value is not one. The
 * reader types only integers, so `0.5` or `1.0` arrive as strings; both forms are accepted.
 * Negative values, lists and any other text are not durations. Callers that need more than zero
 * check the result themselves, with their own error code.
 *
 * ```ts
 * secondsToMilliseconds('0.25'); // 250
 * ```
 */
export function secondsToMilliseconds(value: ConfigValue): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) {
    return Math.round(Number(value) * 1000);
  }
  return undefined;
}

import { ServiceError } from '../errors/service-error.js';

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Rounds a time in seconds to `precision` decimals, the way the legacy `round_time` did: the
 * value's decimal string (for a number, JavaScript's shortest round-trip form) is rounded half to
 * even, digit by digit, so no binary float drift creeps in. The result always has exactly
 * `precision` decimals. A value that is not a number or a decimal string throws
 * `SVC_ERR_APP_INVALID_TIME`.
 *
 * ```ts
 * roundTime('1.015'); // '1.02'
 * roundTime(1297417122); // '1297417122.00'
 * roundTime(); // now, e.g. '1761561600.42'
 * ```
 */
export function roundTime(value: unknown = Date.now() / 1000, precision = 2): string {
  const { negative, digits, scale } = parseDecimal(value);

  const rounded = roundHalfEven(digits, scale, precision);

  return formatFixed(rounded, precision, negative && rounded !== 0n);
}

interface Decimal {
  negative: boolean;
  /** All significant digits as one integer; the value is `digits / 10^scale`. */
  digits: bigint;
  scale: number;
}

function parseDecimal(value: unknown): Decimal {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new ServiceError('SVC_ERR_APP_INVALID_TIME', `not a time in seconds: ${String(value)}`);
  }

  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
  return { negative: sign === '-', digits, scale: fraction.length - Number(exponent) };
}

function roundHalfEven(digits: bigint, scale: number, precision: number): bigint {
  const drop = scale - precision;
  if (drop <= 0) return digits * 10n ** BigInt(-drop);

  const divisor = 10n ** BigInt(drop);
  const kept = digits / divisor;
  const twiceRest = (digits % divisor) * 2n;
  if (twiceRest > divisor || (twiceRest === divisor && kept % 2n === 1n)) return kept + 1n;
  return kept;
}

function formatFixed(scaled: bigint, precision: number, negative: boolean): string {
  const text = scaled.toString().padStart(precision + 1, '0');
  const whole = text.slice(0, text.length - precision);
  const fraction = text.slice(text.length - precision);
  return `${negative ? '-' : ''}${whole}${precision > 0 ? `.${fraction}` : ''}`;
}

/**
 * `roundTime(milliseconds / 1000)` for an integer count of milliseconds, as `Date.now()` gives,
 * without the decimal-string work: the header that carries it is set on every response.
 */
export function roundMilliseconds(milliseconds: number): string {
  const rest = milliseconds % 10;
  let centiseconds = (milliseconds - rest) / 10;
  if (rest > 5 || (rest === 5 && centiseconds % 2 === 1)) centiseconds += 1;
  const fraction = centiseconds % 100;
  return `${(centiseconds - fraction) / 100}.${fraction < 10 ? '0' : ''}${fraction}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundMilliseconds, roundTime } from './round-time.js';

describe('roundTime', () => {
  it.each([
    [129084.198271987, '129084.20'],
    ['129084.198271987', '129084.20'],
    [1297417122.0, '1297417122.00'],
    ['1.005', '1.00'],
    ['1.015', '1.02'],
    [0.1, '0.10'],
    ['2.5', '2.50'],
    ['0.125', '0.12'],
    ['0.135', '0.14'],
    [1e-7, '0.00'],
    ['1.5e3', '1500.00'],
  ])('rounds %s to %s', (input, expected) => {
    expect(roundTime(input)).toBe(expected);
  });

  it('keeps three decimals with precision 3', () => {
    expect(roundTime(129084.198271987, 3)).toBe('129084.198');
  });

  it('refuses values that are not times', () => {
    expect(() => roundTime('bleh')).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_APP_INVALID_TIME' }),
    );
    expect(() => roundTime({})).toThrow(/not a time/);
    expect(() => roundTime(Number.NaN)).toThrow(/not a time/);
  });

  it('defaults to now with two decimals', () => {
    const now = Date.now() / 1000;
    const value = Number(roundTime());
    expect(Math.abs(value - now)).toBeLessThan(1);
    expect(roundTime()).toMatch(/^\d+\.\d{2}$/);
  });
});

describe('roundMilliseconds', () => {
  it.each([
    [1297417122125, '1297417122.12'],
    [1297417122135, '1297417122.14'],
    [1297417122005, '1297417122.00'],
    [1297417122999, '1297417123.00'],
    [7, '0.01'],
  ])('rounds %d ms half to even: %s', (milliseconds, expected) => {
    expect(roundMilliseconds(milliseconds)).toBe(expected);
  });

  it('agrees with roundTime on every integer count of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (milliseconds) => {
        expect(roundMilliseconds(milliseconds)).toBe(roundTime(milliseconds / 1000));
      }),
    );
  });
});

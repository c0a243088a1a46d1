import { describe, expect, it } from 'vitest';
import { secondsToMilliseconds } from './seconds.js';

describe('secondsToMilliseconds', () => {
  it('reads integers and the decimal strings the reader leaves untyped', () => {
    expect(secondsToMilliseconds(5)).toBe(5000);
    expect(secondsToMilliseconds(0)).toBe(0);
    expect(secondsToMilliseconds('0.25')).toBe(250);
    expect(secondsToMilliseconds('1.0')).toBe(1000);
  });

  it('returns undefined for what is not 0 or more seconds', () => {
    for (const value of [-1, '-1', '1s', '', '.5', true, [1, 2]]) {
      expect(secondsToMilliseconds(value)).toBeUndefined();
    }
  });
});

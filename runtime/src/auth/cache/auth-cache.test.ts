import { describe, expect, it } from 'vitest';
import { AuthCache } from './auth-cache.js';

describe('AuthCache', () => {
  it('returns a user only for the same name and password, until the ttl passes', () => {
    let now = 0;
    const cache = new AuthCache({ ttl: 10, size: 10, now: () => now });
    cache.set('bob', 'secret', { username: 'bob' });
    expect(cache.get('bob', 'secret')).toEqual({ username: 'bob' });
    expect(cache.get('bob', 'secreT')).toBeUndefined();
    // the NUL separator keeps "bo" + "bsecret" apart from "bob" + "secret"
    expect(cache.get('bo', 'bsecret')).toBeUndefined();
    now = 9_999;
    expect(cache.get('bob', 'secret')).toBeDefined();
    now = 10_000;
    expect(cache.get('bob', 'secret')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most size entries, dropping the least recently used', () => {
    const cache = new AuthCache({ ttl: 60, size: 2 });
    cache.set('a', 'p', { username: 'a' });
    cache.set('b', 'p', { username: 'b' });
    cache.get('a', 'p');
    cache.set('c', 'p', { username: 'c' });
    expect(cache.size).toBe(2);
    expect(cache.get('a', 'p')).toBeDefined();
    expect(cache.get('b', 'p')).toBeUndefined();
    expect(cache.get('c', 'p')).toBeDefined();
  });

  it('forgets every entry of one user', () => {
    const cache = new AuthCache({ ttl: 60, size: 10 });
    cache.set('a', 'one', { username: 'a' });
    cache.set('a', 'two', { username: 'a' });
    cache.set('b', 'one', { username: 'b' });
    cache.forget('a');
    expect(cache.get('a', 'one')).toBeUndefined();
    expect(cache.get('a', 'two')).toBeUndefined();
    expect(cache.get('b', 'one')).toBeDefined();
  });
});

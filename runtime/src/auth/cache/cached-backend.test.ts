import { describe, expect, it } from 'vitest';
import { Config } from '../../config/config.js';
import { silentLogger } from '../../log/logger.js';
import { createMemoryBackend } from '../backends/memory/memory-backend.js';
import { hashPassword } from '../passwords/hash-password.js';
import { spyBackend } from '../test-support/auth-test-app.js';
import { withAuthCache } from './cached-backend.js';

async function setup() {
  const users = `bob:${await hashPassword('secret', 'ssha')}`;
  const memory = createMemoryBackend(
    { users },
    {
      config: Config.fromObject({}),
      logger: silentLogger,
      location: { file: undefined, line: undefined },
    },
  );
  const spy = spyBackend(memory);
  return { spy, cached: withAuthCache(spy, { ttl: 60, size: 100 }) };
}

describe('withAuthCache', () => {
  it('answers a repeated login from the cache and never caches a failure', async () => {
    const { spy, cached } = await setup();
    expect(await cached.authenticate({ username: 'bob', password: 'secret' })).not.toBeNull();
    expect(await cached.authenticate({ username: 'bob', password: 'secret' })).not.toBeNull();
    expect(spy.calls).toHaveLength(1);
    expect(await cached.authenticate({ username: 'bob', password: 'wrong' })).toBeNull();
    expect(await cached.authenticate({ username: 'bob', password: 'wrong' })).toBeNull();
    expect(spy.calls).toHaveLength(3);
  });

  it('drops the user after a password change or a deletion through it', async () => {
    const { spy, cached } = await setup();
    await cached.authenticate({ username: 'bob', password: 'secret' });
    expect(await cached.changePassword('bob', 'another')).toBe(true);
    expect(await cached.authenticate({ username: 'bob', password: 'secret' })).toBeNull();
    expect(await cached.authenticate({ username: 'bob', password: 'another' })).not.toBeNull();
    expect(await cached.delete('bob')).toBe(true);
    expect(await cached.authenticate({ username: 'bob', password: 'another' })).toBeNull();
    expect(spy.calls).toHaveLength(4);
  });

  it('does not cache a login that was in flight during a password change', async () => {
    const { cached } = await setup();
    const inFlight = cached.authenticate({ username: 'bob', password: 'secret' });
    await cached.changePassword('bob', 'another');
    expect(await inFlight).not.toBeNull();
    expect(await cached.authenticate({ username: 'bob', password: 'secret' })).toBeNull();
  });
});

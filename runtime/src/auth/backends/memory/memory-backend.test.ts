import { describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { createMemoryLogger, silentLogger } from '../../../log/logger.js';
import { hashPassword, verifyPassword } from '../../passwords/hash-password.js';
import type { BackendContext } from '../../types.js';
import { createMemoryBackend } from './memory-backend.js';

const sshaVector = '{SSHA}NBtDxvONZfbDfFzJLGaG7AvSOeFhYmNkZWZnaA==';
const sscryptVector =
  '{SSCRYPT}sbQAxbuW4O4QRSYDls91RfnZQdx7LH5N6rvXsZJ9/mZXzZCpheYbwd5vN12Gkat9EwjTbXi5Eoef76/MHvP7AGFiY2RlZmdo';

function context(logger = silentLogger): BackendContext {
  return { config: Config.fromObject({}), logger, location: { file: 'app.ini', line: 3 } };
}

describe('createMemoryBackend', () => {
  it('reads users from continuation lines in any scheme', async () => {
    const backend = createMemoryBackend(
      { users: [`alice:${sshaVector}`, `bob:${sscryptVector}`] },
      context(),
    );
    expect(await backend.list()).toEqual(['alice', 'bob']);
    expect(await backend.authenticate({ username: 'alice', password: 'password1' })).toMatchObject({
      username: 'alice',
    });
    expect(await backend.authenticate({ username: 'bob', password: 'password1' })).not.toBeNull();
    expect(await backend.authenticate({ username: 'bob', password: 'password2' })).toBeNull();
  });

  it('refuses a users line without name:hash, naming the key but not the hash', () => {
    const config = Config.fromObject({ auth: { users: 'nocolonhere' } }, 'app.ini');
    expect(() => createMemoryBackend({ users: 'nocolonhere' }, { ...context(), config })).toThrow(
      expect.objectContaining({ code: 'SVC_ERR_AUTH_BAD_USER_LINE', file: 'app.ini' }),
    );
    try {
      createMemoryBackend({ users: 'nocolonhere' }, { ...context(), config });
    } catch (error) {
      expect((error as Error).message).not.toContain('nocolonhere');
    }
  });
});

describe('MemoryBackend', () => {
  it('follows the create, authenticate, change, delete sequence', async () => {
    const backend = createMemoryBackend({}, context());
    const created = await backend.create('tarek', 'tarek-password', { mail: 't@example.com' });
    expect(created).toMatchObject({ username: 'tarek', attributes: { mail: 't@example.com' } });
    await expect(backend.create('tarek', 'other')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_USER_EXISTS',
    });
    expect(
      await backend.authenticate({ username: 'tarek', password: 'tarek-password' }),
    ).toMatchObject({ id: created.id });
    expect(await backend.authenticate({ username: 'tarek', password: '' })).toBeNull();
    expect(await backend.authenticate({ username: 'nobody', password: 'x' })).toBeNull();
    expect(await backend.lookup('tarek')).toMatchObject({ username: 'tarek' });
    expect(await backend.changePassword('tarek', 'new-password')).toBe(true);
    expect(await backend.changePassword('nobody', 'new-password')).toBe(false);
    expect(
      await backend.authenticate({ username: 'tarek', password: 'tarek-password' }),
    ).toBeNull();
    expect(
      await backend.authenticate({ username: 'tarek', password: 'new-password' }),
    ).not.toBeNull();
    expect(await backend.delete('tarek')).toBe(true);
    expect(await backend.delete('tarek')).toBe(false);
    expect(await backend.lookup('tarek')).toBeNull();
    await expect(backend.check()).resolves.toBeUndefined();
  });

  it('replaces a legacy {SSHA} hash with scrypt on a successful login', async () => {
    const backend = createMemoryBackend({ users: `alice:${sshaVector}` }, context());
    expect(await backend.authenticate({ username: 'alice', password: 'wrong' })).toBeNull();
    expect(backend.storedHash('alice')).toBe(sshaVector);
    expect(await backend.authenticate({ username: 'alice', password: 'password1' })).not.toBeNull();
    const upgraded = backend.storedHash('alice')!;
    expect(upgraded).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword('password1', upgraded)).toBe(true);
    expect(await backend.authenticate({ username: 'alice', password: 'password1' })).not.toBeNull();
    expect(backend.storedHash('alice')).toBe(upgraded);
  });

  it('refuses a user with a malformed stored hash and logs it once, without the hash', async () => {
    const logger = createMemoryLogger();
    const backend = createMemoryBackend({ users: 'alice:{SSHA}!!!' }, context(logger));
    expect(await backend.authenticate({ username: 'alice', password: 'x' })).toBeNull();
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]).toMatchObject({
      type: 'auth.malformed_hash',
      fields: { user: 'alice' },
    });
    expect(JSON.stringify(logger.records.map((record) => record.fields))).not.toContain('!!!');
  });

  it('stores new users with the current scheme', async () => {
    const backend = createMemoryBackend({}, context());
    await backend.create('carol', 'carol-password');
    expect(backend.storedHash('carol')).toMatch(/^\$scrypt\$/);
    expect(await hashPassword('x', 'ssha')).toMatch(/^\{SSHA\}/);
  });
});

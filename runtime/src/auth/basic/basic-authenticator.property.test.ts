import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../config/config.js';
import { silentLogger } from '../../log/logger.js';
import { MemoryBackend } from '../backends/memory/memory-backend.js';
import { hashPassword } from '../passwords/hash-password.js';
import type { UserBackend } from '../types.js';
import { basicHeader, startAuthTestApp, type AuthTestApp } from '../test-support/auth-test-app.js';
import { BasicAuthenticator } from './basic-authenticator.js';
import { hasControlCharacter } from './username-policy.js';

// any Unicode text without control characters, astral and combining code points included
const password = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((value) => !hasControlCharacter(value));
const username = fc.stringMatching(/^[a-zA-Z0-9._@+-]{1,16}$/);

describe('BasicAuthenticator.authenticate (property)', () => {
  let app: AuthTestApp;
  let current = new MemoryBackend([], silentLogger);

  beforeAll(async () => {
    // every run gets a fresh backend holding one user, behind one long-lived authenticator
    const backend = new Proxy({} as UserBackend, {
      get: (_target, property) => {
        const value: unknown = Reflect.get(current, property, current);
        return typeof value === 'function' ? value.bind(current) : value;
      },
    });
    const config = Config.fromObject({ auth: { backend: 'memory' } });
    app = await startAuthTestApp(new BasicAuthenticator({ backend, config, logger: silentLogger }));
  });

  afterAll(() => app.close());

  it('authenticates exactly when the sent password matches the stored one', async () => {
    await fc.assert(
      fc.asyncProperty(
        username,
        password,
        password,
        fc.boolean(),
        async (name, stored, other, same) => {
          const sent = same ? stored : other;
          // {SSHA} keeps runs fast; scrypt is slow on purpose
          current = new MemoryBackend([[name, await hashPassword(stored, 'ssha')]], silentLogger);
          const response = await app.request('/secret', { Authorization: basicHeader(name, sent) });
          const expected = stored.normalize('NFC') === sent.normalize('NFC') ? 200 : 401;
          expect(response.status).toBe(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});

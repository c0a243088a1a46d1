import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../log/logger.js';
import { BasicAuthenticator } from './basic/basic-authenticator.js';
import { createAuthenticator } from './create-authenticator.js';
import { hashPassword } from './passwords/hash-password.js';
import { basicHeader, startAuthTestApp } from './test-support/auth-test-app.js';

describe('createAuthenticator', () => {
  let folder: string;
  let bobLine: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'auth-create-'));
    bobLine = `bob:${await hashPassword('secret', 'ssha')}`;
    writeFileSync(
      join(folder, 'token-auth.mjs'),
      [
        'export class TokenAuthenticator {',
        '  constructor({ backend, config }) { this.backend = backend; this.token = config.get("auth", "token"); }',
        '  async authenticate(ctx) {',
        '    if (ctx.get("X-Token") !== this.token) throw Object.assign(new Error("no"), { status: 401 });',
        '    return (await this.backend.lookup(ctx.get("X-User"))) ?? { username: "anonymous" };',
        '  }',
        '}',
        'export function tokenFactory(options) { return new TokenAuthenticator(options); }',
        'export const nothing = {};',
      ].join('\n'),
    );
    writeFileSync(
      join(folder, 'counting.mjs'),
      [
        'export function createCounting() {',
        '  const backend = { name: "counting", calls: 0,',
        '    async authenticate({ username }) { backend.calls += 1; return { username }; },',
        '    async lookup() { return null; }, async create() { throw new Error("no"); },',
        '    async changePassword() { return false; }, async delete() { return false; },',
        '    async list() { return []; }, async check() {}, async close() {} };',
        '  return backend;',
        '}',
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function config(lines: string): ReturnType<typeof loadConfig> {
    const file = join(folder, `app-${Math.random().toString(36).slice(2)}.ini`);
    writeFileSync(file, `[auth]\nbackend = memory\nusers = ${bobLine}\n${lines}\n`);
    return loadConfig(file);
  }

  it('builds the Basic authenticator over the configured backend by default', async () => {
    const authenticator = await createAuthenticator(config(''), { logger: silentLogger });
    expect(authenticator).toBeInstanceOf(BasicAuthenticator);
    expect(authenticator.backend?.name).toBe('memory');
  });

  it('uses a replacement authenticator that sees the request and the backend', async () => {
    for (const exportName of ['TokenAuthenticator', 'tokenFactory']) {
      const authenticator = await createAuthenticator(
        config(`authenticator = ./token-auth.mjs#${exportName}\ntoken = t0k3n`),
        { logger: silentLogger },
      );
      const app = await startAuthTestApp(authenticator);
      try {
        const ok = await app.request('/secret', { 'X-Token': 't0k3n', 'X-User': 'bob' });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body)).toMatchObject({ username: 'bob' });
        expect(
          (await app.request('/secret', { Authorization: basicHeader('bob', 'secret') })).status,
        ).toBe(401);
      } finally {
        await app.close();
        await authenticator.close?.();
      }
    }
  });

  it('refuses a replacement without authenticate(ctx)', async () => {
    await expect(
      createAuthenticator(config('authenticator = ./token-auth.mjs#nothing'), {
        logger: silentLogger,
      }),
    ).rejects.toMatchObject({ code: 'SVC_ERR_AUTH_INCOMPLETE_AUTHENTICATOR', line: 4 });
  });

  it('caches logins only when cache_ttl is set', async () => {
    for (const [lines, calls] of [
      ['', 2],
      ['cache_ttl = 60', 1],
    ] as const) {
      const file = join(folder, `counting-${calls}.ini`);
      writeFileSync(file, `[auth]\nbackend = ./counting.mjs#createCounting\n${lines}\n`);
      const authenticator = await createAuthenticator(loadConfig(file), { logger: silentLogger });
      const backend = authenticator.backend!;
      await backend.authenticate({ username: 'bob', password: 'secret' });
      await backend.authenticate({ username: 'bob', password: 'secret' });
      expect((backend as unknown as { calls: number }).calls, lines).toBe(calls);
    }
  });

  it('refuses a negative cache_ttl', async () => {
    await expect(
      createAuthenticator(config('cache_ttl = -1'), { logger: silentLogger }),
    ).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_BAD_CACHE',
    });
  });
});

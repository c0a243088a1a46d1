import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../log/logger.js';
import { loadBackend } from './backend-registry.js';

const completeBackend = `{
  name: 'custom',
  async authenticate({ username }) { return username === 'ok' ? { username } : null; },
  async lookup() { return null; },
  async create(username) { return { username }; },
  async changePassword() { return true; },
  async delete() { return true; },
  async list() { return []; },
  async check() {},
  async close() {},
}`;

describe('loadBackend', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'auth-registry-'));
    writeFileSync(
      join(folder, 'backends.mjs'),
      [
        `export function factory(options, context) { return { ...${completeBackend}, options, hasConfig: context.config !== undefined, line: context.location.line }; }`,
        `export class ClassBackend { constructor(options) { Object.assign(this, ${completeBackend}); this.options = options; } }`,
        `export async function asyncFactory() { return ${completeBackend}; }`,
        `export function incomplete() { return { name: 'half', async authenticate() { return null; } }; }`,
      ].join('\n'),
    );
    writeFileSync(join(folder, 'broken.mjs'), 'export const = ;\n');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function config(lines: string): ReturnType<typeof loadConfig> {
    const file = join(folder, `app-${Math.random().toString(36).slice(2)}.ini`);
    writeFileSync(file, `[server]\nport = 1\n\n[auth]\n${lines}\n`);
    return loadConfig(file);
  }

  it('builds the memory backend by name', async () => {
    const backend = await loadBackend(config('backend = memory'), { logger: silentLogger });
    expect(backend.name).toBe('memory');
  });

  it('builds a factory export relative to the config file, with the other keys as options', async () => {
    const backend = (await loadBackend(config('backend = ./backends.mjs#factory\nsqluri = x://y'), {
      logger: silentLogger,
    })) as unknown as { options: Record<string, unknown>; hasConfig: boolean; line: number };
    expect(backend.options).toEqual({ sqluri: 'x://y' });
    expect(backend.hasConfig).toBe(true);
    expect(backend.line).toBe(5);
  });

  it('constructs a class export and awaits an async factory', async () => {
    const fromClass = await loadBackend(config('backend = ./backends.mjs#ClassBackend\nsize = 3'), {
      logger: silentLogger,
    });
    expect((fromClass as unknown as { options: unknown }).options).toEqual({ size: 3 });
    const fromAsync = await loadBackend(config('backend = ./backends.mjs#asyncFactory'), {
      logger: silentLogger,
    });
    expect(await fromAsync.authenticate({ username: 'ok', password: 'x' })).toEqual({
      username: 'ok',
    });
  });

  it('names the file and line of the backend key in every error', async () => {
    const cases: [string, string][] = [
      ['backend = mongo', 'SVC_ERR_AUTH_UNKNOWN_BACKEND'],
      ['backend = ./missing.mjs#x', 'SVC_ERR_AUTH_MODULE_LOAD'],
      ['backend = ./broken.mjs#x', 'SVC_ERR_AUTH_MODULE_LOAD'],
      ['backend = ./backends.mjs#nothing', 'SVC_ERR_AUTH_MISSING_EXPORT'],
      ['backend = ./backends.mjs#incomplete', 'SVC_ERR_AUTH_INCOMPLETE_BACKEND'],
    ];
    for (const [line, code] of cases) {
      const loaded = config(line);
      const error = await loadBackend(loaded, { logger: silentLogger }).catch(
        (caught: unknown) => caught,
      );
      expect(error, line).toMatchObject({ code, file: loaded.file, line: 5 });
      expect((error as Error).message).toContain(`:5: [auth] backend`);
    }
    const incomplete = await loadBackend(config('backend = ./backends.mjs#incomplete'), {
      logger: silentLogger,
    }).catch((caught: Error) => caught);
    expect((incomplete as Error).message).toContain(
      'lookup, create, changePassword, delete, list, check, close',
    );
  });

  it('refuses creation for every backend when allow_new_users = false', async () => {
    for (const spec of ['memory', './backends.mjs#factory']) {
      const backend = await loadBackend(config(`backend = ${spec}\nallow_new_users = false`), {
        logger: silentLogger,
      });
      await expect(backend.create('new', 'password')).rejects.toMatchObject({
        code: 'SVC_ERR_AUTH_CREATION_DISABLED',
        status: 403,
      });
      expect(await backend.list()).toEqual([]);
    }
    const open = await loadBackend(config('backend = memory\nallow_new_users = true'), {
      logger: silentLogger,
    });
    expect(await open.create('new', 'password-new')).toMatchObject({ username: 'new' });
  });
});

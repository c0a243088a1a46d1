import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../auth/create-authenticator.js';
import { basicHeader, startAuthTestApp } from '../auth/test-support/auth-test-app.js';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../log/logger.js';

const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'runtime/dist/cli/main.js');

function cli(
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, SERVICES_CONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('services-runtime users (built CLI)', () => {
  let folder: string;
  let configFile: string;

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', 'build', '-w', 'services-runtime'], { cwd: root });
    folder = mkdtempSync(join(tmpdir(), 'users-cli-'));
    configFile = join(folder, 'app.ini');
    writeFileSync(configFile, '[auth]\nbackend = sql\nsqluri = sqlite:users.db\n');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('adds a user in one process that authenticates in another', async () => {
    const added = await cli(['users', 'add', 'alice', '--config', configFile], 'alice-password\n');
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: 'added user "alice"\n' });
    expect(await cli(['users', 'list', '--config', configFile])).toMatchObject({
      code: 0,
      stdout: 'alice\n',
    });
    expect(
      (await cli(['users', 'add', 'alice', '--config', configFile], 'other-password\n')).code,
    ).toBe(1);

    const authenticator = await createAuthenticator(loadConfig(configFile), {
      logger: silentLogger,
    });
    const app = await startAuthTestApp(authenticator);
    try {
      expect(
        (await app.request('/secret', { Authorization: basicHeader('alice', 'alice-password') }))
          .status,
      ).toBe(200);
      expect(
        (await app.request('/secret', { Authorization: basicHeader('alice', 'other-password') }))
          .status,
      ).toBe(401);
    } finally {
      await app.close();
      await authenticator.close?.();
    }
  });

  it('exits 2 with the usage for wrong arguments and 0 for --help', async () => {
    const wrong = await cli(['users', 'add']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Usage: services-runtime users');
    expect((await cli(['--help'])).code).toBe(0);
  });
});

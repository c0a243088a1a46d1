// The questions as a person meets them: the built bin under a real pseudo-terminal, answered by
// typing, arrow keys included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, temporaryFolder } from './built-bin.js';
import { plainText, startPtySession, type PtySession } from './pty-session.js';

const down = '\u001b[B';
const enter = '\r';

let folder: ReturnType<typeof temporaryFolder> | undefined;
let session: PtySession | undefined;
afterEach(() => {
  session?.stop();
  folder?.remove();
  session = undefined;
  folder = undefined;
});

/** The bin under a terminal in `cwd`, with CI unset so that it asks. */
function startBin(cwd: string, args: string): PtySession {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  return startPtySession(`'${process.execPath}' '${bin}' ${args}`, { cwd, env });
}

/** How many times a question was answered: the prompt prints `✔ MESSAGE` once it is done. */
function timesAnswered(output: string, message: string): number {
  return plainText(output).split(`✔ ${message}`).length - 1;
}

describe('create-services-app on a terminal', () => {
  it('asks each unanswered question once and writes what the keys chose', async () => {
    folder = temporaryFolder();
    session = startBin(folder.path, '--port 9300');

    await session.answer('Package name', `typed-svc${enter}`);
    await session.answer('Description', enter);
    // memory is the default; one down is sql, and under it one down is postgresql
    await session.answer('User backend', `${down}${enter}`);
    await session.answer('Database', `${down}${enter}`);
    await session.answer('CEF security logging', `y${enter}`);
    await session.answer('Dockerfile', `n${enter}`);
    await session.answer('Worker processes', `3${enter}`);
    await session.answer('Package manager', `${down}${down}${enter}`);
    await session.answer('Create a git repository', `n${enter}`);
    await session.answer('Install dependencies now', `n${enter}`);
    expect(await session.exited(30_000)).toBe(0);

    const output = session.output();
    for (const message of [
      'Package name',
      'Description',
      'User backend for HTTP Basic authentication',
      'Database',
      'CEF security logging',
      'Dockerfile and docker-compose.yml',
      'Worker processes',
      'Package manager',
      'Create a git repository',
      'Install dependencies now',
    ]) {
      expect(timesAnswered(output, message), message).toBe(1);
    }
    // answered by its flag, so never asked
    expect(plainText(output)).not.toContain('? Port');
    // the select prompt, not the deprecated alias that prints a warning to the user
    expect(plainText(output)).not.toContain('deprecated');

    const root = join(folder.path, 'typed-svc');
    const stored = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))[
      'create-services-app'
    ].answers;
    expect(stored).toEqual({
      name: 'typed-svc',
      description: 'The typed-svc service',
      auth: 'sql',
      database: 'postgresql',
      cef: true,
      docker: false,
      port: 9300,
      workers: 3,
      packageManager: 'yarn',
    });
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.dependencies.pg).toMatch(/^\^8\./);
    const ini = readFileSync(join(root, 'etc/typed-svc.ini'), 'utf8');
    expect(ini).toContain('[cef]');
    expect(ini).toMatch(/workers = 3/);
    const entries = readdirSync(root);
    expect(entries).not.toContain('Dockerfile');
    expect(entries).not.toContain('.git');
    expect(entries).not.toContain('node_modules');
  }, 60_000);

  it('Ctrl-C at a question exits 130 and writes nothing', async () => {
    folder = temporaryFolder();
    session = startBin(folder.path, '');

    await session.answer('Package name', `stopped-svc${enter}`);
    await session.answer('Description', enter);
    await session.answer('User backend', '\u0003');
    expect(await session.exited(30_000)).toBe(130);

    expect(plainText(session.output())).toContain('GEN_ERR_INTERRUPTED');
    expect(readdirSync(folder.path)).toEqual([]);
  }, 60_000);
});

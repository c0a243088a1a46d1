import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords/hash-password.js';
import { run } from './users-command.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function runWith(
  argv: string[],
  input = '',
  env: Record<string, string> = {},
): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await run(argv, { stdin: Readable.from([input]), stdout, stderr, env });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('run (users command)', () => {
  let folder: string;
  let configFile: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'users-command-'));
    configFile = join(folder, 'app.ini');
    const alice = await hashPassword('alice-password', 'ssha');
    writeFileSync(
      configFile,
      `[auth]\nbackend = memory\nusers = alice:${alice}\n    bob:${alice}\n`,
    );
    writeFileSync(join(folder, 'noauth.ini'), '[server]\nport = 1\n');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('lists the users of the configured backend', async () => {
    expect(await runWith(['users', 'list', '--config', configFile])).toEqual({
      code: 0,
      stdout: 'alice\nbob\n',
      stderr: '',
    });
  });

  it('takes the configuration from SERVICES_CONFIG and --config=FILE', async () => {
    expect((await runWith(['users', 'list'], '', { SERVICES_CONFIG: configFile })).stdout).toBe(
      'alice\nbob\n',
    );
    expect((await runWith(['users', 'list', `--config=${configFile}`])).code).toBe(0);
  });

  it('adds a user with the first line of standard input as password', async () => {
    const added = await runWith(
      ['users', 'add', 'carol', '--config', configFile],
      'carol-password\nignored\n',
    );
    expect(added).toMatchObject({ code: 0, stdout: 'added user "carol"\n' });
  });

  it('fails with 1 for an existing user, a missing user and a weak or absent password', async () => {
    const cases: [string[], string, RegExp][] = [
      [['users', 'add', 'alice'], 'long-enough-password\n', /already exists; use "users passwd"/],
      [
        ['users', 'passwd', 'nobody'],
        'long-enough-password\n',
        /no user "nobody"; create it with "users add"/,
      ],
      [['users', 'delete', 'nobody'], '', /no user "nobody"/],
      [['users', 'add', 'dave'], 'short\n', /too weak/],
      [['users', 'add', 'dave'], '', /no password on standard input/],
      [
        ['users', 'add', 'bad name'],
        'long-enough-password\n',
        /does not match \[auth\] username_pattern/,
      ],
    ];
    for (const [argv, input, message] of cases) {
      const outcome = await runWith([...argv, '--config', configFile], input);
      expect(outcome.code, argv.join(' ')).toBe(1);
      expect(outcome.stderr).toMatch(message);
    }
  });

  it('changes a password and deletes a user that exist', async () => {
    expect(
      (await runWith(['users', 'passwd', 'alice', '--config', configFile], 'another-password\n'))
        .code,
    ).toBe(0);
    expect(await runWith(['users', 'delete', 'bob', '--config', configFile])).toMatchObject({
      code: 0,
      stdout: 'deleted user "bob"\n',
    });
  });

  it('fails with 1 when the configuration has no [auth] section or cannot be read', async () => {
    const noAuth = await runWith(['users', 'list', '--config', join(folder, 'noauth.ini')]);
    expect(noAuth.code).toBe(1);
    expect(noAuth.stderr).toContain('has no [auth] section');
    const missing = await runWith(['users', 'list', '--config', join(folder, 'missing.ini')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SVC_ERR_CONFIG_NOT_FOUND');
  });

  it('answers 2 with the usage to wrong arguments', async () => {
    const wrong = [
      [],
      ['serve'],
      ['users'],
      ['users', 'rename', 'x', '--config', 'f'],
      ['users', 'add', '--config', 'f'],
      ['users', 'list', 'extra', '--config', 'f'],
      ['users', 'add', 'a', 'b', '--config', 'f'],
      ['users', 'list'],
      ['users', 'list', '--config'],
      ['users', 'list', '--password', 'x', '--config', 'f'],
    ];
    for (const argv of wrong) {
      const outcome = await runWith(argv);
      expect(outcome.code, argv.join(' ')).toBe(2);
      expect(outcome.stderr).toContain('Usage: services-runtime users');
    }
  });

  it('prints the usage for --help', async () => {
    const help = await runWith(['users', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--config FILE');
    expect(help.stdout).toContain('standard input');
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, runBin, temporaryFolder } from './built-bin.js';

let folder: ReturnType<typeof temporaryFolder>;
afterEach(() => folder?.remove());

// each test runs the bin several times, about a second each, and several seconds on a busy machine
describe('create-services-app (the built bin)', { timeout: 90_000 }, () => {
  it('--help and --version answer without loading Yeoman', () => {
    folder = temporaryFolder();
    const started = Date.now();
    const help = runBin(['--help'], { cwd: folder.path });
    expect(Date.now() - started).toBeLessThan(800);
    expect(help.status).toBe(0);
    for (const flag of [
      '--name',
      '--auth',
      '--database',
      '--no-cef',
      '--no-docker',
      '--package-manager',
      '--answers',
      '--dry-run',
      '--offline',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const version = runBin(['--version'], { cwd: folder.path });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version,
    );
  });

  it('without a terminal and without --yes, exits 2 naming every missing flag and writes nothing', () => {
    folder = temporaryFolder();
    const result = runBin(['billing', '--auth', 'sql'], { cwd: folder.path });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('GEN_ERR_MISSING_ANSWERS');
    for (const flag of [
      '--description',
      '--database',
      '--cef',
      '--docker',
      '--port',
      '--workers',
      '--package-manager',
    ]) {
      expect(result.stderr).toContain(flag);
    }
    expect(result.stderr).not.toContain('--auth,');
    expect(result.stderr).toContain('create-services-app billing --auth sql --yes');
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it('exits 2 on an unknown flag or a bad value, naming it', () => {
    folder = temporaryFolder();
    const unknown = runBin(['svc', '--yes', '--colour'], { cwd: folder.path });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--colour');
    const bad = runBin(['svc', '--yes', '--workers', '0'], { cwd: folder.path });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--workers');
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it('refuses an invalid name before anything else', () => {
    folder = temporaryFolder();
    const result = runBin(['--name', '@../x', '--yes'], { cwd: folder.path });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('GEN_ERR_INVALID_NAME');
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it('--dry-run lists the files and writes nothing', () => {
    folder = temporaryFolder();
    const result = runBin(['billing', '--yes', '--dry-run'], { cwd: folder.path });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('etc/billing.ini');
    expect(result.stderr).toContain('vendor/services-runtime-');
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it('refuses a non-empty folder, naming it, and --force writes into it', () => {
    folder = temporaryFolder();
    const target = join(folder.path, 'billing');
    mkdirSync(join(target, 'src'), { recursive: true });
    writeFileSync(join(target, 'src/index.ts'), 'mine\n');
    writeFileSync(join(target, 'notes.txt'), 'keep me\n');

    const refused = runBin(['billing', '--yes', '--skip-install', '--skip-git'], {
      cwd: folder.path,
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('GEN_ERR_TARGET_NOT_EMPTY');
    expect(refused.stderr).toContain('billing');
    expect(refused.stderr).toContain('--force');
    expect(readdirSync(target).sort()).toEqual(['notes.txt', 'src']);

    const forced = runBin(['billing', '--yes', '--skip-install', '--skip-git', '--force'], {
      cwd: folder.path,
    });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(join(target, 'etc/billing.ini'), 'utf8')).toContain('[server]');
    expect(readdirSync(folder.path)).toEqual(['billing']);
  });

  it('takes answers from a file and from stdin, flags winning', () => {
    folder = temporaryFolder();
    const answers = join(folder.path, 'answers.json');
    writeFileSync(
      answers,
      JSON.stringify({
        name: 'from-file',
        description: 'From a file',
        auth: 'none',
        cef: true,
        docker: false,
        port: 9100,
        workers: 2,
        packageManager: 'npm',
        skipInstall: true,
        skipGit: true,
      }),
    );
    const fromFile = runBin(['--answers', answers, '--port', '9200'], { cwd: folder.path });
    expect(fromFile.status).toBe(0);
    const ini = readFileSync(join(folder.path, 'from-file/etc/from-file.ini'), 'utf8');
    expect(ini).toContain('port = ${PORT:-9200}');
    expect(ini).toContain('[cef]');
    expect(readdirSync(join(folder.path, 'from-file'))).not.toContain('Dockerfile');

    const fromStdin = runBin(['--answers', '-', '--yes'], {
      cwd: folder.path,
      input: JSON.stringify({ name: 'piped', skipInstall: true, skipGit: true }),
    });
    expect(fromStdin.status).toBe(0);
    expect(readdirSync(folder.path)).toContain('piped');

    const badKey = runBin(['--answers', '-'], { cwd: folder.path, input: '{"colour":"red"}' });
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toContain('colour');
  });

  it('writes the whole project or nothing when interrupted (SIGINT exits 130)', async () => {
    folder = temporaryFolder();
    const outcomes = new Set<string>();
    for (const delay of [150, 400, 700, 1000, 1300]) {
      const name = `svc-${delay}`;
      const run = await interruptAfter(
        delay,
        [name, '--yes', '--skip-install', '--skip-git'],
        folder.path,
      );
      const entries = readdirSync(folder.path).filter((entry) => entry.includes(name));
      const outcome = interruptOutcome(run);
      outcomes.add(outcome);
      const whole = entries.length === 1 && existsSync(join(folder.path, name, 'package.json'));
      if (outcome === 'ended-by-signal') {
        // no handler ran, so nothing was said: the disk holds the whole project or nothing
        expect(whole || entries.length === 0, entries.join(' ')).toBe(true);
      } else if (outcome === 'interrupted') {
        expect(entries).toEqual([]);
      } else {
        // finished, or a signal after the rename into place: the project is whole, as said
        expect(entries).toEqual([name]);
        expect(whole).toBe(true);
      }
    }
    expect(outcomes).toContain('interrupted');
  });

  it('adds a controller wholly or not at all when interrupted', async () => {
    folder = temporaryFolder();
    const made = runBin(['svc', '--yes', '--skip-install', '--skip-git'], { cwd: folder.path });
    expect(made.status).toBe(0);
    const service = join(folder.path, 'svc');
    const outcomes = new Set<string>();
    for (const delay of [100, 300, 500, 700, 900, 1100, 1300, 1600]) {
      const name = `part${delay}`;
      const run = await interruptAfter(delay, ['controller', name], service);
      const outcome = interruptOutcome(run);
      outcomes.add(outcome);
      const routes = readFileSync(join(service, 'src/routes.ts'), 'utf8');
      const index = readFileSync(join(service, 'src/controllers/index.ts'), 'utf8');
      const parts = [
        readdirSync(join(service, 'src/controllers')).includes(`${name}.ts`),
        readdirSync(join(service, 'test')).includes(`${name}.test.ts`),
        routes.includes(`controller: '${name}'`),
        index.includes(`from './${name}.js'`),
      ];
      const added =
        outcome === 'ended-by-signal'
          ? parts[0]!
          : outcome === 'complete' || outcome === 'interrupted-after-placing';
      expect(parts, `${name}: ${outcome}`).toEqual([added, added, added, added]);
      for (const folderName of ['src', 'src/controllers', 'test']) {
        expect(
          readdirSync(join(service, folderName)).filter((f) => f.includes('.creating-')),
        ).toEqual([]);
      }
    }
    expect(outcomes).toContain('interrupted');
  });

  it('generates a project a black-box run can read: package.json, config, .yo-rc.json', () => {
    folder = temporaryFolder();
    const result = runBin(
      [
        '@acme/ledger',
        '--yes',
        '--skip-install',
        '--skip-git',
        '--auth',
        'sql',
        '--database',
        'sqlite',
      ],
      { cwd: folder.path },
    );
    expect(result.status).toBe(0);
    const root = join(folder.path, 'ledger');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@acme/ledger');
    expect(manifest.dependencies['better-sqlite3']).toMatch(/^\^12\./);
    expect(readdirSync(join(root, 'vendor'))).toEqual([
      manifest.dependencies['services-runtime'].slice('file:vendor/'.length),
    ]);
    expect(result.stderr).toContain('Next:');
    expect(result.stderr).toContain('cd ledger');
  });
});

describe('create-services-app and git', () => {
  it('commits when git has an identity, and explains the missing commit when it has none', () => {
    folder = temporaryFolder();
    const noIdentity = join(folder.path, 'empty.gitconfig');
    writeFileSync(noIdentity, '');
    const withIdentity = join(folder.path, 'identity.gitconfig');
    writeFileSync(withIdentity, '[user]\n\tname = Test Person\n\temail = test@example.com\n');
    const gitEnv = (global: string): NodeJS.ProcessEnv => ({
      GIT_CONFIG_GLOBAL: global,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: folder.path,
    });

    const committed = runBin(['with-id', '--yes', '--skip-install'], {
      cwd: folder.path,
      env: gitEnv(withIdentity),
    });
    expect(committed.status, committed.stderr).toBe(0);
    const log = spawnSync('git', ['log', '--oneline'], {
      cwd: join(folder.path, 'with-id'),
      encoding: 'utf8',
    });
    expect(log.stdout.trim().split('\n')).toHaveLength(1);

    const uncommitted = runBin(['without-id', '--yes', '--skip-install'], {
      cwd: folder.path,
      env: gitEnv(noIdentity),
    });
    expect(uncommitted.status, uncommitted.stderr).toBe(0);
    expect(uncommitted.stderr).toContain(
      'no first commit was made because git has no user.name and user.email',
    );
    expect(readdirSync(join(folder.path, 'without-id'))).toContain('.git');

    // inside the first project's repository: no nested repository
    const nested = runBin(['inner', '--yes', '--skip-install'], {
      cwd: join(folder.path, 'with-id'),
      env: gitEnv(withIdentity),
    });
    expect(nested.status, nested.stderr).toBe(0);
    expect(nested.stderr).toContain('already inside the git repository');
    expect(readdirSync(join(folder.path, 'with-id/inner'))).not.toContain('.git');
  });
});

interface InterruptedRun {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/** Runs the bin and sends it SIGINT after `delay` ms (unless it has finished by then). */
async function interruptAfter(delay: number, args: string[], cwd: string): Promise<InterruptedRun> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGINT'), delay);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(timer);
  return { code, signal, stderr };
}

/**
 * What a run that may have been interrupted reports: finished normally, interrupted before any
 * change, or interrupted after the result was already in place. Where no handler is installed,
 * the signal ends the process itself (a shell reports 130 too) and nothing is said: in the first
 * ~100 ms, before the handler, and in the last milliseconds, while Node tears the process down
 * after the work is done.
 */
function interruptOutcome(run: InterruptedRun): string {
  if (run.signal === 'SIGINT') return 'ended-by-signal';
  if (run.code === 0) return 'complete';
  expect(run.code, run.stderr).toBe(130);
  expect(run.stderr).toContain('GEN_ERR_INTERRUPTED');
  if (run.stderr.includes('was left as it was')) return 'interrupted';
  expect(run.stderr).toMatch(/interrupted after .+ was complete; it is in place/);
  return 'interrupted-after-placing';
}

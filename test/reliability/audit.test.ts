// npm's advisories for the repository's dependencies and for a freshly generated service, through
// scripts/audit.sh: a high or critical advisory fails the suite, and so does an audit that could
// not run, since then nothing was proven.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'audit.sh');
const bin = join(root, 'dist', 'bin', 'create-services-app.js');

const meaning: Record<number, string> = {
  1: 'a high or critical advisory was found',
  2: 'the audit could not run, so nothing was proven',
};

/** Runs scripts/audit.sh and returns its exit status with everything it printed. */
async function audit(...args: string[]): Promise<{ status: number; output: string }> {
  try {
    const { stdout, stderr } = await run(script, args, { cwd: root, timeout: 120_000 });
    return { status: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failure.code ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

function explain(result: { status: number; output: string }): string {
  return `scripts/audit.sh exited ${result.status} (${meaning[result.status] ?? 'unexpected'}):\n${result.output}`;
}

const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scripts/audit.sh', () => {
  it('finds no high or critical advisory for the root package and the runtime workspace', async () => {
    const result = await audit();
    expect(result.status, explain(result)).toBe(0);
  }, 150_000);

  it('finds no high or critical advisory for a generated service', async () => {
    if (!existsSync(bin)) throw new Error('dist/bin is missing: run `npm run build` first');
    const parent = await mkdtemp(join(tmpdir(), 'reliability-audit-'));
    temporary.push(parent);
    await run(process.execPath, [bin, 'audited-service', '--yes', '--skip-git', '--skip-install'], {
      cwd: parent,
      timeout: 60_000,
    });
    const service = join(parent, 'audited-service');
    await run(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: service,
        timeout: 120_000,
      },
    );

    const result = await audit(service);
    expect(result.status, explain(result)).toBe(0);
  }, 300_000);

  it('refuses a folder without a lock file instead of auditing nothing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reliability-audit-'));
    temporary.push(empty);
    const result = await audit(empty);
    expect(result.status).toBe(2);
    expect(result.output).toContain('npm install --package-lock-only');
  });
});

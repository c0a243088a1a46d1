// scripts/audit.sh checks npm's advisories for the repository and for a generated service
// (`npm run audit`). The audit itself needs the registry's advisory endpoint, so it is a command to
// run where that endpoint answers, not a test; this suite pins what the script does offline: it
// never reports success when it audited nothing.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'audit.sh');

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

const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scripts/audit.sh', () => {
  it('refuses a folder without a lock file instead of auditing nothing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reliability-audit-'));
    temporary.push(empty);
    const result = await audit(empty);
    expect(result.status).toBe(2);
    expect(result.output).toContain('npm install --package-lock-only');
  });
});

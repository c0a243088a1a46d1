import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const bin = join(import.meta.dirname, '../../dist/bin/create-services-app.js');

if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);

/** Runs the built bin with stdin closed and CI set, as a script or an agent would. */
export function runBin(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, CI: 'true', ...options.env },
    timeout: 60_000,
  });
}

export { spawn };

/** A fresh temporary folder, removed by the returned function. */
export function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'csa-bin-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

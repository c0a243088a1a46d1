// Generates a service with the built bin and runs commands in it, for the end-to-end suites that
// treat the generated repository the way its user would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../serve-harness.js';

export const bin = join(root, 'dist', 'bin', 'create-services-app.js');

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a command to completion and returns its output; a non-zero exit throws with the tail. */
export function runIn(cwd: string, command: string, args: string[], options: RunOptions = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    timeout: options.timeoutMs ?? 240_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    const how = result.error ? result.error.message : `exited ${result.status}`;
    throw new Error(`${command} ${args.join(' ')} ${how}:\n${output.slice(-4000)}`);
  }
  return output;
}

/**
 * Runs the built bin in `workspace` to write (and, without `--skip-install`, install) a service
 * named `name`; resolves with its folder.
 */
export function generateProject(workspace: string, name: string, flags: string[]): string {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  runIn(workspace, process.execPath, [bin, name, '--yes', '--skip-git', ...flags]);
  return join(workspace, name);
}

/** A fresh temporary folder and the function that removes it. */
export function scratchFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

/** What happened to the repository, for the closing summary. */
export type GitOutcome =
  | { status: 'committed' }
  | { status: 'initialised'; reason: string }
  | { status: 'skipped'; reason: string };

function git(args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    ok: result.status === 0,
    stdout: (result.stdout ?? '').trim(),
    stderr: (result.stderr ?? result.error?.message ?? '').trim(),
  };
}

/** The nearest folder on the way up from `path` that exists, where git can be asked. */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/**
 * Creates the repository and its first commit in `folder` (the staging folder), as if it were
 * at `target`. Nothing is done inside an existing repository, so a service added to a monorepo
 * does not get a nested one; the commit is left out, with the reason, when git has no identity,
 * since inventing one would put a false name in the history.
 */
export function initRepository(folder: string, target: string, message: string): GitOutcome {
  if (!git(['--version'], folder).ok) return { status: 'skipped', reason: 'git is not installed' };
  const probe = git(['rev-parse', '--show-toplevel'], nearestExisting(target));
  if (probe.ok) {
    return {
      status: 'skipped',
      reason: `${target} is already inside the git repository ${probe.stdout}`,
    };
  }

  const init = git(['init', '--quiet', '--initial-branch=main'], folder);
  if (!init.ok && !git(['init', '--quiet'], folder).ok) {
    return { status: 'skipped', reason: `git init failed: ${init.stderr}` };
  }
  const name = git(['config', 'user.name'], folder);
  const email = git(['config', 'user.email'], folder);
  if (!name.ok || !email.ok || name.stdout === '' || email.stdout === '') {
    return {
      status: 'initialised',
      reason:
        'no first commit was made because git has no user.name and user.email; set them with git config --global, then commit',
    };
  }
  const add = git(['add', '--all'], folder);
  const commit = add.ok ? git(['commit', '--quiet', '--no-verify', '-m', message], folder) : add;
  if (!commit.ok)
    return { status: 'initialised', reason: `the first commit failed: ${commit.stderr}` };
  return { status: 'committed' };
}

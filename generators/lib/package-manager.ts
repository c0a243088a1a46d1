import type { PackageManager } from '../app/answers.js';

/**
 * The client that started this command, from the `npm_config_user_agent` every one of them sets
 * (`pnpm/9.12.0 npm/? node/v20.17.0 linux x64`). Anything unknown, bun included, falls back to
 * npm, which every Node installation has.
 */
export function detectPackageManager(env: NodeJS.ProcessEnv = process.env): PackageManager {
  const agent = env.npm_config_user_agent ?? '';
  const name = agent.split('/', 1)[0];
  if (name === 'pnpm' || name === 'yarn') return name;
  return 'npm';
}

/** The install command line: the client, then its arguments. */
export function installCommand(manager: PackageManager, options: { offline: boolean }): string[] {
  switch (manager) {
    case 'npm':
      // npm 10.6+ prints nothing while it works; http-level logging gives the progress line a
      // pulse. audit and fund notices belong to the user's first own install, not this one.
      return [
        'npm',
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=http',
        ...(options.offline ? ['--offline'] : []),
      ];
    case 'pnpm':
      return ['pnpm', 'install', ...(options.offline ? ['--offline'] : [])];
    case 'yarn':
      return ['yarn', 'install', ...(options.offline ? ['--offline'] : [])];
  }
}

/** How the README and the closing summary tell the user to run a script. */
export function runScript(manager: PackageManager, script: string): string {
  if (script === 'test') return `${manager} test`;
  return manager === 'npm' ? `npm run ${script}` : `${manager} ${script}`;
}

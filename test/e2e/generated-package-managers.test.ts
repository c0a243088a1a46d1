// Generated services installed by pnpm and by yarn (classic): the generator runs the client,
// the project builds, passes its tests and serves with that client's commands, and its README
// and CI workflow name the same client. pnpm's strict node_modules is the sharp case: only
// declared dependencies are importable, so an undeclared import fails the build or the tests.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './serve-harness.js';
import { generateProject, runIn, scratchFolder } from './support/generated-project.js';

type Client = 'pnpm' | 'yarn';

const cases: { client: Client; name: string; flags: string[]; lockFile: string }[] = [
  { client: 'pnpm', name: 'pnpm-memory', flags: [], lockFile: 'pnpm-lock.yaml' },
  // the runtime loads the driver the project declares, through an optional peer dependency
  {
    client: 'pnpm',
    name: 'pnpm-sqlite',
    flags: ['--auth', 'sql', '--database', 'sqlite'],
    lockFile: 'pnpm-lock.yaml',
  },
  { client: 'yarn', name: 'yarn-memory', flags: [], lockFile: 'yarn.lock' },
];

const scratch = scratchFolder('csa-clients-');
afterAll(() => scratch.remove());

function requireClient(client: Client): void {
  const probe = spawnSync(client, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    throw new Error(
      `${client} is not installed; run scripts/setup.sh, which installs pnpm and yarn`,
    );
  }
}

/** Bare module names imported by the project's own sources, `node:` built-ins left out. */
function importedPackages(project: string): Set<string> {
  const names = new Set<string>();
  for (const folder of ['src', 'test']) {
    for (const file of readdirSync(join(project, folder), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(join(project, folder, file), 'utf8');
      for (const [, specifier] of source.matchAll(
        /\bfrom '([^'.][^']*)'|import\('([^'.][^']*)'\)/g,
      )) {
        if (specifier === undefined || specifier.startsWith('node:')) continue;
        const parts = specifier.split('/');
        const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        if (!builtinModules.includes(name)) names.add(name);
      }
    }
  }
  return names;
}

/** `CLIENT start` on a free port; resolves with the heartbeat's status, then stops the group. */
async function heartbeatStatus(client: Client, project: string): Promise<number> {
  const port = await freePort();
  // its own process group: the client, its shell and the service are stopped together by pid
  const child = spawn(client, ['start'], {
    cwd: project,
    env: { ...process.env, PORT: String(port), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      try {
        return (await fetch(`http://127.0.0.1:${port}/__heartbeat__`)).status;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`${client} start did not answer on port ${port}:\n${log}`);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
}

describe('a generated service with another package manager', () => {
  it.each(cases)(
    '$name: $client installs, builds, tests and starts it',
    async ({ client, name, flags, lockFile }) => {
      requireClient(client);
      const project = generateProject(scratch.path, name, ['--package-manager', client, ...flags]);
      const entries = readdirSync(project);
      expect(entries).toContain(lockFile);
      expect(entries).not.toContain('package-lock.json');

      // nothing is imported that package.json does not declare
      const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
      const declared = new Set([
        ...Object.keys(manifest.dependencies),
        ...Object.keys(manifest.devDependencies),
      ]);
      for (const imported of importedPackages(project)) expect(declared).toContain(imported);

      runIn(project, client, ['run', 'build']);
      expect(runIn(project, client, ['test'])).toMatch(/Tests\s+\d+ passed/);
      expect(await heartbeatStatus(client, project)).toBe(200);

      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      expect(readme).toContain(`${client} install`);
      expect(readme).toContain(`${client} test`);
      expect(readme).toContain(`${client} dev`);
      expect(readme).not.toMatch(/\bnpm (install|run|ci)\b/);
      const workflow = readFileSync(join(project, '.github/workflows/ci.yml'), 'utf8');
      expect(workflow).toContain(`run: ${client} install --frozen-lockfile`);
      expect(workflow).toContain(`run: ${client} build`);
      expect(workflow).toContain(`run: ${client} test`);
      expect(workflow).toContain(`cache: ${client}`);
      expect(workflow).not.toMatch(/\bnpm (ci|install|run|test)\b/);
    },
    400_000,
  );
});

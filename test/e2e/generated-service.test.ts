import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Generates services with the built bin, installs them from the registry (sharing the npm
// cache), and checks that each builds, passes its own tests, serves its heartbeat and still
// passes after a controller is added. better-sqlite3 compiles from source, about a minute.

const bin = join(import.meta.dirname, '../../dist/bin/create-services-app.js');
const workspace = mkdtempSync(join(tmpdir(), 'csa-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    timeout: 240_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${output.slice(-4000)}`,
    );
  return output;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start` on a free port; resolves with the heartbeat's status and body, then stops it. */
async function heartbeatOfStartedService(
  root: string,
): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: 'pipe',
    detached: true,
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/__heartbeat__`);
        return {
          status: response.status,
          body: (await response.json()) as { checks: Record<string, string> },
        };
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`the service did not answer on port ${port}:\n${log}`);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const cases = [
  { name: 'memory-svc', flags: [], heartbeat: 200, check: 'memory' },
  {
    name: 'sqlite-svc',
    flags: ['--auth', 'sql', '--database', 'sqlite'],
    heartbeat: 200,
    check: 'sql',
  },
  { name: 'ldap-svc', flags: ['--auth', 'ldap', '--cef'], heartbeat: 503, check: 'ldap' },
  { name: 'open-svc', flags: ['--auth', 'none', '--no-docker'], heartbeat: 200, check: undefined },
];

describe('a generated service, installed from the registry', () => {
  it.each(cases)(
    '$name: installs, builds, passes its tests, serves, and takes a controller',
    async (example) => {
      const output = run(
        process.execPath,
        [bin, example.name, '--yes', '--skip-git', ...example.flags],
        workspace,
      );
      expect(output).toContain('Installed dependencies');
      const root = join(workspace, example.name);

      run('npm', ['run', 'build'], root);
      expect(run('npm', ['test'], root)).toMatch(/Tests\s+\d+ passed/);

      const heartbeat = await heartbeatOfStartedService(root);
      expect(heartbeat.status).toBe(example.heartbeat);
      if (example.check)
        expect(heartbeat.body.checks[example.check]).toBe(
          example.heartbeat === 200 ? 'ok' : 'error',
        );

      const authFlag = example.check && example.check !== 'ldap' ? ['--auth'] : [];
      run(
        process.execPath,
        [bin, 'controller', 'orders', '--methods', 'GET,POST', ...authFlag],
        root,
      );
      const tests = run('npm', ['test'], root);
      expect(tests).toContain('orders.test.ts');
      expect(tests).not.toMatch(/\d+ failed/);
      run('npm', ['run', 'build'], root);
    },
    400_000,
  );
});

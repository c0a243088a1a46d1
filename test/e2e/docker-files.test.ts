// The generated Dockerfile, .dockerignore and docker-compose.yml, without a Docker engine (none
// runs here): dockerfilelint, the Dockerflow rules, and the steps of both stages carried out on
// this machine from the Dockerfile's own instructions, ending with the service running as the
// unprivileged user and answering its heartbeat. Needs `npm run build`; runs as root (to take
// the uid of the image's user); the stages install with a cache of their own, from the registry.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, root, sleep, type Answer } from './serve-harness.js';
import {
  buildContext,
  copySources,
  dockerIgnored,
  parseDockerfile,
  readDockerignore,
  runStage,
  type Stage,
  type StageRun,
} from './support/dockerfile.js';
import { generateProject, scratchFolder } from './support/generated-project.js';

const dockerfilelint = join(root, 'node_modules', '.bin', 'dockerfilelint');
const scratch = scratchFolder('docker-files-');
const projects: Record<string, string> = {};

const variants: Record<string, string[]> = {
  'npm-svc': ['--auth', 'memory'],
  'pnpm-svc': ['--package-manager', 'pnpm', '--skip-install'],
  'yarn-svc': ['--package-manager', 'yarn', '--skip-install'],
  'pg-svc': ['--auth', 'sql', '--database', 'postgresql', '--skip-install'],
  'maria-svc': ['--auth', 'sql', '--database', 'mysql', '--skip-install'],
  'ldap-svc': ['--auth', 'ldap', '--skip-install'],
  'lite-svc': ['--auth', 'sql', '--database', 'sqlite', '--skip-install'],
};

function read(name: string, file: string): string {
  return readFileSync(join(projects[name]!, file), 'utf8');
}

function stagesOf(name: string): Stage[] {
  return parseDockerfile(read(name, 'Dockerfile'));
}

/** Index of the first instruction of `stage` that matches, -1 when none. */
function indexOf(stage: Stage, keyword: string, args: RegExp = /./): number {
  return stage.instructions.findIndex((item) => item.keyword === keyword && args.test(item.args));
}

beforeAll(() => {
  // the image's user must be able to reach /app, as in a container where / is 0755
  chmodSync(scratch.path, 0o755);
  for (const [name, flags] of Object.entries(variants)) {
    projects[name] = generateProject(scratch.path, name, flags);
  }
});

afterAll(() => scratch.remove());

describe('the generated Dockerfile', () => {
  it.each(['npm-svc', 'pnpm-svc', 'yarn-svc'])('%s: dockerfilelint finds no issue', (name) => {
    const result = spawnSync(dockerfilelint, ['-j', 'Dockerfile'], {
      cwd: projects[name],
      encoding: 'utf8',
      timeout: 30_000,
    });
    // the exit status is the number of issues; the JSON report says which
    const report = JSON.parse(result.stdout) as { files: { issues: unknown[] }[] };
    expect(report.files.flatMap((file) => file.issues)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it.each(['npm-svc', 'pnpm-svc', 'yarn-svc'])('%s: follows the Dockerflow rules', (name) => {
    const stages = stagesOf(name);
    const final = stages.at(-1)!;
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.instructions.find((item) => item.keyword === 'WORKDIR')?.args).toBe('/app');
    expect(final.instructions.find((item) => item.keyword === 'RUN')?.args).toMatch(
      /^groupadd --gid 10001 app && useradd --uid 10001 --gid app /,
    );

    // the last USER is app, before the entry point and the command, both in exec form
    const users = final.instructions.filter((item) => item.keyword === 'USER');
    expect(users.at(-1)?.args).toBe('app');
    const user = final.instructions.indexOf(users.at(-1)!);
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      const index = indexOf(final, keyword);
      expect(index, keyword).toBeGreaterThan(user);
      expect(() => JSON.parse(final.instructions[index]!.args) as unknown, keyword).not.toThrow();
    }

    // each stage copies vendor/ before the install that needs it; only the last omits dev
    const installs = stages.map((stage) =>
      indexOf(stage, 'RUN', /(npm ci|pnpm install|yarn install)/),
    );
    stages.forEach((stage, position) => {
      expect(indexOf(stage, 'COPY', /^vendor /)).toBeGreaterThan(-1);
      expect(indexOf(stage, 'COPY', /^vendor /)).toBeLessThan(installs[position]!);
    });
    const finalInstall = final.instructions[installs.at(-1)!]!.args;
    expect(finalInstall).toMatch(/--omit=dev|--prod\b|--production\b/);
    for (const stage of stages.slice(0, -1)) {
      expect(stage.instructions[installs[stages.indexOf(stage)]!]!.args).not.toMatch(
        /omit=dev|prod/,
      );
    }
    const fromBuild = final.instructions.find((item) => item.keyword === 'COPY' && item.flags.from);
    expect(fromBuild?.flags.from).toBe(stages[0]!.name);

    // HEALTHCHECK is optional (orchestrators call the heartbeat); when present it names one
    const healthcheck = final.instructions.find((item) => item.keyword === 'HEALTHCHECK');
    if (healthcheck) expect(healthcheck.args).toMatch(/__(lb)?heartbeat__/);
  });

  it('copies version.json when CI wrote one, and builds without it', () => {
    const final = stagesOf('npm-svc').at(-1)!;
    const copy = final.instructions.find(
      (item) => item.keyword === 'COPY' && /version\.jso/.test(item.args),
    )!;
    const sources = copy.args.split(/\s+/).slice(0, -1);
    // the generated project has no version.json: the COPY still finds something to copy
    expect(existsSync(join(projects['npm-svc']!, 'version.json'))).toBe(false);
    expect(copySources(projects['npm-svc']!, sources)).not.toContain('version.json');
    const written = join(scratch.path, 'with-version');
    mkdirSync(written);
    for (const file of ['package.json', 'version.json']) writeFileSync(join(written, file), '{}');
    expect(copySources(written, sources)).toContain('version.json');
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, dist and local files out of the build context, and vendor/ in', () => {
    const patterns = readDockerignore(read('npm-svc', '.dockerignore'));
    for (const path of [
      'node_modules/koa/package.json',
      'dist/main.js',
      '.git/HEAD',
      'etc/local.ini',
      '.env',
    ])
      expect(dockerIgnored(patterns, path), path).toBe(true);
    for (const path of [
      'vendor/services-runtime-0.1.0.tgz',
      'package-lock.json',
      'src/main.ts',
      'etc/npm-svc.ini',
      'version.json',
    ])
      expect(dockerIgnored(patterns, path), path).toBe(false);
  });
});

describe('etc/ldap/people.ldif', () => {
  it('seeds the compose directory with entries under the DN template the service binds with', () => {
    const template = /^bind_dn_template = (.+)$/m.exec(read('ldap-svc', 'etc/ldap-svc.ini'))![1]!;
    const seed = read('ldap-svc', 'etc/ldap/people.ldif');
    const parent = template.replace(/^[^,]*\{username\}[^,]*,/, '');
    expect(seed).toContain(`dn: ${template.replace('{username}', 'alice')}\n`);
    expect(seed).toContain(`dn: ${parent}\n`);
    expect(read('ldap-svc', 'docker-compose.yml')).toContain('- ./etc/ldap:/ldifs:ro');
    expect(existsSync(join(projects['pg-svc']!, 'etc/ldap'))).toBe(false);
  });
});

describe('docker-compose.yml', () => {
  /** Service names under `services:` and the text of each. */
  function services(name: string): Record<string, string> {
    const body = read(name, 'docker-compose.yml').split(/^services:\n/m)[1] ?? '';
    const blocks = body.split(/^(?= {2}[a-z][a-z0-9_.-]*:\n)/m).filter((block) => block.trim());
    return Object.fromEntries(blocks.map((block) => [/^ {2}([^:]+):/.exec(block)![1]!, block]));
  }

  it.each([
    { name: 'pg-svc', backend: 'postgres', uri: /SQLURI: "postgresql:\/\/[^@]+@postgres:5432\// },
    { name: 'maria-svc', backend: 'mariadb', uri: /SQLURI: "mysql:\/\/[^@]+@mariadb:3306\// },
    { name: 'ldap-svc', backend: 'openldap', uri: /LDAPURI: "ldap:\/\/openldap:389"/ },
    { name: 'npm-svc', backend: '', uri: undefined },
    { name: 'lite-svc', backend: '', uri: undefined },
  ])(
    '$name: names the service, nginx and the server it needs ($backend)',
    ({ name, backend, uri }) => {
      const found = services(name);
      expect(Object.keys(found).sort()).toEqual(
        [name, 'nginx', ...(backend ? [backend] : [])].sort(),
      );
      expect(found[name]).toMatch(/^ {4}build: \.$/m);
      expect(found.nginx).toContain('./etc/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
      expect(found.nginx).toContain(`network_mode: "service:${name}"`);
      if (backend && uri) {
        expect(found[name]).toMatch(uri);
        expect(found[name]).toMatch(new RegExp(`depends_on:\\n {6}- ${backend}\\n`));
      }
    },
  );
});

describe('the Dockerfile steps, carried out without a container', () => {
  let build: StageRun;
  let final: StageRun;

  beforeAll(() => {
    const project = projects['npm-svc']!;
    const stages = stagesOf('npm-svc');
    // the base image's Node is the one these steps run with
    expect(
      stages.every((stage) =>
        stage.image.startsWith(`node:${process.versions.node.split('.')[0]}-`),
      ),
    ).toBe(true);

    // the context as CI hands it over: version.json written, .dockerignore applied to a tree
    // that has been installed (node_modules present)
    const context = join(scratch.path, 'context');
    buildContext(project, readDockerignore(read('npm-svc', '.dockerignore')), context);
    expect(readdirSync(context)).not.toEqual(expect.arrayContaining(['node_modules']));
    writeFileSync(join(context, 'version.json'), versionJson);
    const hostEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(scratch.path, 'home'),
      // a cache of the stages' own: the last stage cleans the cache it used
      npm_config_cache: join(scratch.path, 'npm-cache'),
      npm_config_update_notifier: 'false',
    };
    const named: Record<string, StageRun> = {};
    const runs = stages.map((stage, index) => {
      const folder = join(scratch.path, `stage-${index}`);
      const run = runStage({ stage, root: folder, context, stages: named, hostEnv });
      chmodSync(folder, 0o755);
      if (stage.name) named[stage.name] = run;
      return run;
    });
    [build, final] = [runs[0]!, runs.at(-1)!];
  }, 300_000);

  it('builds in the first stage, with the dev dependencies and without node_modules from the host', () => {
    const app = join(build.root, 'app');
    expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(true);
  });

  it('ships production dependencies only, the compiled service and its config, not its sources', () => {
    const app = join(final.root, 'app');
    // the lock file marks what only development needs (dev, or dev and optional)
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) => path !== '');
    const dev = installed.filter(([, entry]) => entry.dev || entry.devOptional);
    const production = installed.filter(
      ([, entry]) => !entry.dev && !entry.devOptional && !entry.optional,
    );
    expect(dev.map(([path]) => path)).toEqual(
      expect.arrayContaining(['node_modules/typescript', 'node_modules/vitest']),
    );
    for (const [path] of dev) expect(existsSync(join(app, path)), path).toBe(false);
    for (const [path] of production) expect(existsSync(join(app, path)), path).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'services-runtime', 'dist', 'index.js'))).toBe(
      true,
    );
    expect(readdirSync(app).sort()).toEqual(
      [
        'dist',
        'etc',
        'node_modules',
        'package-lock.json',
        'package.json',
        'vendor',
        'version.json',
      ].sort(),
    );
    // the npm cache the install used was cleaned, as the image keeps none
    expect(readdirSync(join(scratch.path, 'npm-cache')).includes('_cacache')).toBe(false);
  });

  it('runs as app (10001:10001): /app is its own, what it was given is not', () => {
    const app = join(final.root, 'app');
    expect(final.user).toBe('app');
    expect(final.accounts.app).toEqual({ uid: 10001, gid: 10001 });
    expect(statSync(app)).toMatchObject({ uid: 10001, gid: 10001 });
    const write = (file: string): number | null =>
      spawnSync(
        process.execPath,
        ['-e', `require('fs').writeFileSync(${JSON.stringify(file)}, 'x')`],
        {
          cwd: app,
          uid: 10001,
          gid: 10001,
        },
      ).status;
    expect(write('service.log')).toBe(0);
    expect(write('dist/main.js')).not.toBe(0);
  });

  it('serves its heartbeat and version.json, started by ENTRYPOINT and CMD as the unprivileged user', async () => {
    const port = await freePort();
    const [command = '', ...args] = [...final.entrypoint, ...final.cmd];
    // -e HOST and -e PORT, as a platform sets them; this machine listens on loopback only
    const child = spawn(command, args, {
      cwd: join(final.root, 'app'),
      uid: 10001,
      gid: 10001,
      env: {
        PATH: process.env.PATH,
        HOME: '/',
        ...final.env,
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const heartbeat = await answer(port, '/__heartbeat__', exited);
      expect(heartbeat.status, output).toBe(200);
      expect(JSON.parse(heartbeat.body)).toMatchObject({ status: 'ok', checks: { memory: 'ok' } });
      expect(JSON.parse((await get(port, '/__version__')).body)).toEqual(JSON.parse(versionJson));
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
      expect(status).toMatch(/^Gid:\s+10001\s+10001\s+10001\s+10001$/m);
      expect(status).toMatch(/^Groups:\s*$/m);
    } finally {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      child.kill('SIGKILL');
    }
  }, 60_000);
});

const versionJson = JSON.stringify({
  source: 'https://example.com/npm-svc',
  version: '0.1.0',
  commit: '0123456789abcdef0123456789abcdef01234567',
  build: 'https://example.com/npm-svc/builds/1',
});

/** The first answer on `path`, retried while the service starts; throws if it exits first. */
async function answer(port: number, path: string, exited: Promise<unknown>): Promise<Answer> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < 150 && !gone; attempt++) {
    try {
      return await get(port, path);
    } catch {
      await sleep(100);
    }
  }
  throw new Error(gone ? 'the service exited' : `no answer on port ${port}`);
}

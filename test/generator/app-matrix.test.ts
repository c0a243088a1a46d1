import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/src/index.js';
import { join } from 'node:path';
import type { Auth, Database } from '../../generators/app/answers.js';
import { runApp } from './run-app.js';

const combinations: { auth: Auth; database?: Database; docker: boolean }[] = [];
for (const docker of [true, false]) {
  for (const auth of ['none', 'memory', 'ldap'] as const) combinations.push({ auth, docker });
  for (const database of ['sqlite', 'postgresql', 'mysql'] as const) {
    combinations.push({ auth: 'sql', database, docker });
  }
}

const drivers: Record<Database, string> = {
  sqlite: 'better-sqlite3',
  postgresql: 'pg',
  mysql: 'mysql2',
};

describe('app generator, every auth x database x docker combination', () => {
  it.each(combinations)('auth $auth, database $database, docker $docker', async (answers) => {
    const project = await runApp({ name: 'orders', ...answers });
    const files = project.files();
    expect(files).toMatchSnapshot();

    // package.json: the runtime from vendor/, the one driver the answers need
    const manifest = JSON.parse(project.read('package.json'));
    expect(manifest.dependencies['services-runtime']).toMatch(
      /^file:vendor\/services-runtime-\d+\.\d+\.\d+\.tgz$/,
    );
    expect(files).toContain(manifest.dependencies['services-runtime'].slice('file:'.length));
    const expectedDriver = answers.database ? drivers[answers.database] : undefined;
    for (const driver of Object.values(drivers)) {
      expect(driver in manifest.dependencies).toBe(driver === expectedDriver);
    }
    expect(Object.keys(manifest.scripts)).toEqual(['dev', 'build', 'start', 'test']);

    // the service config parses, and [auth] is there exactly when auth is on
    const iniPath = join(project.root, 'etc/orders.ini');
    const config = parseConfig(project.read('etc/orders.ini'), { filename: iniPath, env: {} });
    expect(config.get('server', 'port')).toBe(8000);
    expect(config.hasSection('auth')).toBe(answers.auth !== 'none');
    if (answers.auth !== 'none') expect(config.get('auth', 'backend')).toBe(answers.auth);
    expect(config.hasSection('cef')).toBe(false);

    // the whoami route, its controller and its test exist only with auth
    const routes = project.read('src/routes.ts');
    expect(routes.includes("path: '/whoami'")).toBe(answers.auth !== 'none');
    expect(files.includes('test/whoami.test.ts')).toBe(answers.auth !== 'none');

    // Docker files only with --docker; compose brings the database or directory chosen
    expect(files.includes('Dockerfile')).toBe(answers.docker);
    expect(files.includes('docker-compose.yml')).toBe(answers.docker);
    if (answers.docker) {
      const compose = project.read('docker-compose.yml');
      expect(compose.includes('postgres:16')).toBe(answers.database === 'postgresql');
      expect(compose.includes('mariadb:11')).toBe(answers.database === 'mysql');
      expect(compose.includes('openldap')).toBe(answers.auth === 'ldap');
    }

    const stored = JSON.parse(project.read('.yo-rc.json'))['create-services-app'];
    expect(stored.answers).toMatchObject({
      name: 'orders',
      auth: answers.auth,
      docker: answers.docker,
    });
  });
});

describe('app generator content', () => {
  it('writes the memory test user with a hash the runtime verifies', async () => {
    const project = await runApp({ name: 'orders', auth: 'memory' });
    const testIni = parseConfig(project.read('etc/test.ini'), {
      filename: join(project.root, 'etc/test.ini'),
      env: {},
    });
    const users = String(testIni.get('auth', 'users'));
    const [username, hash] = [
      users.slice(0, users.indexOf(':')),
      users.slice(users.indexOf(':') + 1),
    ];
    expect(username).toBe('test-user');
    const { verifyPassword } = await import('../../runtime/src/index.js');
    await expect(verifyPassword('test-password', hash)).resolves.toBe(true);
  });

  it('adds a [cef] section with a file sink for --cef', async () => {
    const project = await runApp({ name: 'orders', cef: true });
    const config = parseConfig(project.read('etc/orders.ini'), {
      filename: join(project.root, 'etc/orders.ini'),
      env: {},
    });
    expect(config.get('cef', 'use')).toBe(true);
    expect(config.get('cef', 'file')).toBe('../cef.log');
    expect(config.get('cef', 'product')).toBe('orders');
  });

  it('points ldap at 127.0.0.1:389 with a DN template', async () => {
    const project = await runApp({ name: 'orders', auth: 'ldap' });
    const config = parseConfig(project.read('etc/orders.ini'), {
      filename: join(project.root, 'etc/orders.ini'),
      env: {},
    });
    expect(config.get('auth', 'ldapuri')).toBe('ldap://127.0.0.1:389');
    expect(config.get('auth', 'bind_dn_template')).toContain('{username}');
  });

  it('writes the chosen port and workers, and PORT still overrides the port', async () => {
    const project = await runApp({ name: 'orders', port: 9123, workers: 3 });
    const filename = join(project.root, 'etc/orders.ini');
    expect(
      parseConfig(project.read('etc/orders.ini'), { filename, env: {} }).get('server', 'port'),
    ).toBe(9123);
    expect(
      parseConfig(project.read('etc/orders.ini'), { filename, env: { PORT: '7000' } }).get(
        'server',
        'port',
      ),
    ).toBe(7000);
    expect(
      parseConfig(project.read('etc/orders.ini'), { filename, env: {} }).get('server', 'workers'),
    ).toBe(3);
    expect(project.read('etc/nginx.conf')).toContain('server 127.0.0.1:9123;');
  });

  it('writes a Dockerflow Dockerfile: user app 10001, /app, two stages, exec-form entry point', async () => {
    const dockerfile = (await runApp({ name: 'orders' })).read('Dockerfile');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/groupadd --gid 10001 app && useradd --uid 10001 --gid app/);
    expect(dockerfile).toMatch(/^USER app$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["--config", "etc\/orders.ini"\]$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    // vendor/ is copied before the install that needs it
    expect(dockerfile.indexOf('COPY vendor')).toBeLessThan(dockerfile.indexOf('RUN npm ci'));
  });

  it('writes an nginx front with keepalive, forwarding headers and the heartbeat location', async () => {
    const nginx = (await runApp({ name: 'orders' })).read('etc/nginx.conf');
    for (const line of [
      'keepalive 16;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Request-ID $request_id_orders;',
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      'client_max_body_size 1m;',
      'location = /__heartbeat__',
    ]) {
      expect(nginx).toContain(line);
    }
  });

  it('leaves no EJS tag and no escaped HTML entity in any file', async () => {
    const project = await runApp({ name: 'orders', auth: 'sql', database: 'sqlite', cef: true });
    for (const file of project.files().filter((name) => !name.endsWith('.tgz'))) {
      const text = project.read(file);
      expect(text, file).not.toMatch(/<%|%>|&#39;|&quot;|&lt;/);
    }
  });
});

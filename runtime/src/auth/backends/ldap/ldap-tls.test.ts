import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { parseConfig } from '../../../config/parse-config.js';
import { BackendError } from '../../../errors/backend-error.js';
import { ConfigError } from '../../../errors/config-error.js';
import { createMemoryLogger } from '../../../log/logger.js';
import { startSlapd, type Slapd } from '../../../test-support/slapd.js';
import { loadBackend } from '../../backend-registry.js';
import type { BackendOptions } from '../../types.js';
import { createLdapBackend } from './ldap-backend.js';

let secure: Slapd;
let plain: Slapd;
let workDir: string;

beforeAll(async () => {
  [secure, plain] = await Promise.all([startSlapd({ tls: true }), startSlapd()]);
  workDir = await mkdtemp(join(tmpdir(), 'ldap-tls-test-'));
});

afterAll(async () => {
  await Promise.all([secure?.dispose(), plain?.dispose()]);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function context(logger = createMemoryLogger()) {
  return {
    config: Config.fromObject({ auth: {} }),
    logger,
    location: { file: 'test.ini', line: 1 },
  };
}

/** Bind straight as the user: the only BIND a login sends is the one carrying its password. */
function options(server: Slapd, extra: BackendOptions): BackendOptions {
  return {
    bind_dn_template: `uid={username},ou=people,${server.suffix}`,
    timeout: 2,
    connect_timeout: 2,
    ...extra,
  };
}

/** The server's log lines written while `action` ran. */
async function logDuring(server: Slapd, action: () => Promise<unknown>): Promise<string> {
  const mark = (await server.log()).length;
  await action();
  return (await server.log()).slice(mark);
}

const aliceBind = 'BIND dn="uid=alice,ou=people,dc=example,dc=com"';

describe('ldaps://', () => {
  it('logs in with the right password and refuses a wrong one, trusting tls_ca_file', async () => {
    const backend = await createLdapBackend(
      options(secure, { ldapuri: secure.ldapsUrl!, tls_ca_file: secure.caFile! }),
      context(),
    );
    expect(await backend.authenticate({ username: 'alice', password: 'alicepw' })).toMatchObject({
      username: 'alice',
      attributes: { mail: 'alice@example.com' },
    });
    expect(await backend.authenticate({ username: 'alice', password: 'bobpw' })).toBeNull();
    await expect(backend.check()).resolves.toBeUndefined();
  });

  it('gives BackendError and sends no bind when the certificate is not trusted', async () => {
    const backend = await createLdapBackend(
      options(secure, { ldapuri: secure.ldapsUrl! }),
      context(),
    );
    const log = await logDuring(secure, async () => {
      const login = backend.authenticate({ username: 'alice', password: 'alicepw' });
      await expect(login).rejects.toBeInstanceOf(BackendError);
      await expect(login).rejects.toThrow(/certificate/);
    });
    expect(log).not.toContain(aliceBind);
  });

  it('accepts any certificate with tls_reject_unauthorized = false, and warns at startup', async () => {
    const logger = createMemoryLogger();
    const backend = await createLdapBackend(
      options(secure, { ldapuri: secure.ldapsUrl!, tls_reject_unauthorized: false }),
      context(logger),
    );
    const warnings = logger.records.filter((record) => record.type === 'auth.ldap.tls_unverified');
    expect(warnings).toMatchObject([{ level: 'warn', fields: { ldapuri: secure.ldapsUrl } }]);
    expect(await backend.authenticate({ username: 'alice', password: 'alicepw' })).not.toBeNull();
  });

  it('does not warn while certificates are checked', async () => {
    const logger = createMemoryLogger();
    await createLdapBackend(
      options(secure, { ldapuri: secure.ldapsUrl!, tls_ca_file: secure.caFile! }),
      context(logger),
    );
    expect(logger.records.map((record) => record.type)).not.toContain('auth.ldap.tls_unverified');
  });
});

describe('use_tls = true (StartTLS)', () => {
  it('upgrades the ldap:// connection before the bind and logs in', async () => {
    const backend = await createLdapBackend(
      options(secure, { ldapuri: secure.url, use_tls: true, tls_ca_file: secure.caFile! }),
      context(),
    );
    let user: unknown;
    const log = await logDuring(secure, async () => {
      user = await backend.authenticate({ username: 'alice', password: 'alicepw' });
    });
    expect(user).toMatchObject({ username: 'alice' });
    expect(await backend.authenticate({ username: 'alice', password: 'bobpw' })).toBeNull();

    // the StartTLS extended operation (RFC 4513 section 3) comes first, then the handshake
    const startTls = log.indexOf('EXT oid=1.3.6.1.4.1.1466.20037');
    expect(startTls).toBeGreaterThanOrEqual(0);
    expect(log.indexOf(aliceBind)).toBeGreaterThan(startTls);
  });

  it('gives BackendError and sends no bind when the certificate is not trusted', async () => {
    const backend = await createLdapBackend(
      options(secure, { ldapuri: secure.url, use_tls: true }),
      context(),
    );
    const log = await logDuring(secure, async () => {
      await expect(
        backend.authenticate({ username: 'alice', password: 'alicepw' }),
      ).rejects.toBeInstanceOf(BackendError);
    });
    expect(log).not.toContain(aliceBind);
  });

  it('gives BackendError against a server without TLS and never sends a password', async () => {
    const backend = await createLdapBackend(
      {
        ldapuri: plain.url,
        use_tls: true,
        // search-then-bind, so that the service account's password is at stake as well
        search_root: plain.suffix,
        bind: plain.adminDn,
        passwd: plain.adminPassword,
        timeout: 2,
      },
      context(),
    );
    const log = await logDuring(plain, async () => {
      const login = backend.authenticate({ username: 'alice', password: 'alicepw' });
      await expect(login).rejects.toBeInstanceOf(BackendError);
      await expect(login).rejects.toMatchObject({ backend: 'ldap', status: 503 });
      await expect(login).rejects.toThrow(/StartTLS/);
      await expect(backend.check()).rejects.toBeInstanceOf(BackendError);
    });
    expect(log).toContain('EXT oid=1.3.6.1.4.1.1466.20037');
    expect(log).not.toMatch(/ BIND /);
  });
});

describe('tls_ca_file at startup', () => {
  async function load(text: string, file = join(workDir, 'service.ini')) {
    await writeFile(file, text);
    return loadBackend(parseConfig(text, { filename: file, env: {} }), {
      logger: createMemoryLogger(),
    });
  }

  const section = (caLine: string): string =>
    [
      '[auth]',
      'backend = ldap',
      `ldapuri = ${secure.ldapsUrl}`,
      `bind_dn_template = uid={username},ou=people,${secure.suffix}`,
      caLine,
      '',
    ].join('\n');

  it('is read relative to the folder of the config file', async () => {
    await copyFile(secure.caFile!, join(workDir, 'directory-ca.pem'));
    const backend = await load(section('tls_ca_file = directory-ca.pem'));
    expect(await backend.authenticate({ username: 'bob', password: 'bobpw' })).not.toBeNull();
  });

  it('stops startup with file and line when the file is missing', async () => {
    const failure = load(section('tls_ca_file = missing-ca.pem'));
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_LDAP_OPTIONS',
      file: join(workDir, 'service.ini'),
      line: 5,
    });
    await expect(failure).rejects.toThrow(/missing-ca\.pem.*ENOENT/);
  });

  it('stops startup when the file holds no valid certificate', async () => {
    await writeFile(join(workDir, 'not-a-ca.pem'), 'just text\n');
    await writeFile(
      join(workDir, 'broken-ca.pem'),
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
    );
    for (const name of ['not-a-ca.pem', 'broken-ca.pem']) {
      await expect(load(section(`tls_ca_file = ${name}`))).rejects.toMatchObject({
        code: 'SVC_ERR_AUTH_LDAP_OPTIONS',
        line: 5,
      });
    }
  });

  it('refuses TLS options on a plain ldap:// connection', async () => {
    const text = section(`tls_ca_file = ${secure.caFile}`).replace(secure.ldapsUrl!, secure.url);
    await expect(load(text)).rejects.toMatchObject({ code: 'SVC_ERR_AUTH_LDAP_OPTIONS', line: 5 });
  });
});

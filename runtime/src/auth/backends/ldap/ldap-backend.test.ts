import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../config/config.js';
import { BackendError } from '../../../errors/backend-error.js';
import { createMemoryLogger } from '../../../log/logger.js';
import { startSlapd, type Slapd } from '../../../test-support/slapd.js';
import { startSilentServer } from '../../../test-support/tcp-proxy.js';
import type { BackendOptions, UserBackend } from '../../types.js';
import { createLdapBackend } from './ldap-backend.js';

let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd();
});

afterAll(async () => {
  await slapd?.dispose();
});

function context(logger = createMemoryLogger()) {
  return {
    config: Config.fromObject({ auth: {} }),
    logger,
    location: { file: 'test.ini', line: 1 },
  };
}

function searchOptions(extra: BackendOptions = {}): BackendOptions {
  return {
    ldapuri: slapd.url,
    bind: slapd.adminDn,
    passwd: slapd.adminPassword,
    search_root: slapd.suffix,
    users_root: `ou=managed,${slapd.suffix}`,
    timeout: 2,
    connect_timeout: 2,
    ...extra,
  };
}

function templateOptions(extra: BackendOptions = {}): BackendOptions {
  return {
    ldapuri: slapd.url,
    bind_dn_template: `uid={username},ou=people,${slapd.suffix}`,
    timeout: 2,
    ...extra,
  };
}

/** The log lines written since `mark` (a length of the log). */
async function logSince(mark: number): Promise<string> {
  return (await slapd.log()).slice(mark);
}

describe('createLdapBackend', () => {
  it('refuses options without ldapuri, or without a way to find the user', async () => {
    await expect(createLdapBackend({ search_root: 'dc=x' }, context())).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_LDAP_OPTIONS',
    });
    await expect(
      createLdapBackend({ ldapuri: 'ldap://127.0.0.1:1' }, context()),
    ).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_LDAP_OPTIONS',
    });
    await expect(
      createLdapBackend({ ldapuri: 'http://x', bind_dn_template: 'uid={username}' }, context()),
    ).rejects.toMatchObject({ code: 'SVC_ERR_AUTH_LDAP_OPTIONS' });
    await expect(
      createLdapBackend({ ldapuri: 'ldap://x', bind_dn_template: 'uid=fixed' }, context()),
    ).rejects.toMatchObject({ code: 'SVC_ERR_AUTH_LDAP_OPTIONS' });
  });
});

describe('authenticate, search then bind', () => {
  let backend: UserBackend;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    backend = await createLdapBackend(searchOptions(), context(logger));
  });

  it('returns the user for the right password', async () => {
    const user = await backend.authenticate({ username: 'alice', password: 'alicepw' });
    expect(user).toMatchObject({
      username: 'alice',
      id: `uid=alice,ou=people,${slapd.suffix}`,
      attributes: { mail: 'alice@example.com' },
    });
  });

  it('returns null for a wrong password or an unknown user', async () => {
    expect(await backend.authenticate({ username: 'alice', password: 'bobpw' })).toBeNull();
    expect(await backend.authenticate({ username: 'nobody', password: 'x' })).toBeNull();
  });

  it('sends a password of one space as it is', async () => {
    const mark = (await slapd.log()).length;
    expect(await backend.authenticate({ username: 'bob', password: ' ' })).toBeNull();
    expect(await logSince(mark)).toContain(
      'BIND dn="uid=bob,ou=people,dc=example,dc=com" method=128',
    );
  });

  it('refuses an empty password without binding, although the server would accept it', async () => {
    const direct = new Client({ url: slapd.url });
    await direct.bind(`uid=alice,ou=people,${slapd.suffix}`, '');
    await direct.unbind();

    const mark = (await slapd.log()).length;
    expect(await backend.authenticate({ username: 'alice', password: '' })).toBeNull();
    expect(await logSince(mark)).not.toContain('uid=alice');
  });

  it('treats filter metacharacters in the user name as literal text', async () => {
    for (const username of ['*', 'admin*', '*)(uid=*))(|(uid=*', 'a)(|(objectClass=*)', 'x\\00y']) {
      const mark = (await slapd.log()).length;
      expect(await backend.authenticate({ username, password: 'alicepw' })).toBeNull();
      const log = await logSince(mark);
      expect(log).toMatch(/SRCH base="dc=example,dc=com" scope=2/);
      expect(log).toMatch(/nentries=0/);
      expect(log).not.toMatch(/BIND dn="uid=/);
    }
  });

  it('refuses a user name holding NUL or LF before any search', async () => {
    expect(await backend.authenticate({ username: 'alice\0', password: 'alicepw' })).toBeNull();
    expect(await backend.authenticate({ username: 'alice\n', password: 'alicepw' })).toBeNull();
  });

  it('refuses a name that two entries carry and logs a warning, without binding', async () => {
    const mark = (await slapd.log()).length;
    expect(await backend.authenticate({ username: 'twin', password: 'twinpw' })).toBeNull();
    expect(await logSince(mark)).not.toContain('BIND dn="uid=twin');
    expect(logger.records.some((record) => record.type === 'auth.ldap.ambiguous')).toBe(true);
  });

  it('refuses non-string credentials', async () => {
    expect(
      await backend.authenticate({ username: 'alice', password: 1 as unknown as string }),
    ).toBeNull();
  });

  it('checks the enabled attribute when one is configured', async () => {
    const enabled = await createLdapBackend(
      searchOptions({ enabled_attribute: 'mail', enabled_value: 'alice@example.com' }),
      context(),
    );
    expect(await enabled.authenticate({ username: 'alice', password: 'alicepw' })).not.toBeNull();
    expect(await enabled.authenticate({ username: 'bob', password: 'bobpw' })).toBeNull();
  });
});

describe('authenticate, bind DN template', () => {
  let backend: UserBackend;

  beforeAll(async () => {
    backend = await createLdapBackend(templateOptions(), context());
  });

  it('binds straight to the DN built from the template', async () => {
    const mark = (await slapd.log()).length;
    expect(await backend.authenticate({ username: 'bob', password: 'bobpw' })).toMatchObject({
      username: 'bob',
      id: `uid=bob,ou=people,${slapd.suffix}`,
    });
    expect(await backend.authenticate({ username: 'bob', password: 'alicepw' })).toBeNull();
    // no subtree search with a filter: only a base read of the entry the user bound as
    const searches = (await logSince(mark)).split('\n').filter((line) => / SRCH base=/.test(line));
    expect(searches.length).toBeGreaterThan(0);
    for (const line of searches) {
      expect(line).toContain(`base="uid=bob,ou=people,${slapd.suffix}" scope=0`);
    }
  });

  it('refuses a name the directory matches only ignoring case or spaces', async () => {
    for (const variant of ['BOB', 'Bob', ' bob', 'bob ']) {
      expect(await backend.authenticate({ username: variant, password: 'bobpw' })).toBeNull();
    }
  });

  it('escapes the user name per RFC 4514 inside the DN', async () => {
    const mark = (await slapd.log()).length;
    expect(await backend.authenticate({ username: 'bob,ou=people', password: 'bobpw' })).toBeNull();
    expect(await backend.authenticate({ username: '#bob ', password: 'bobpw' })).toBeNull();
    const log = await logSince(mark);
    expect(log).toContain('BIND dn="uid=bob\\2Cou\\3Dpeople,ou=people,dc=example,dc=com"');
    expect(log).not.toContain('BIND dn="uid=bob,ou=people,ou=people');
  });

  it('keeps SASL mechanism names as simple binds', async () => {
    const bare = await createLdapBackend(
      templateOptions({ bind_dn_template: '{username}' }),
      context(),
    );
    for (const username of ['EXTERNAL', 'PLAIN', 'DIGEST-MD5', 'SCRAM-SHA-1']) {
      const mark = (await slapd.log()).length;
      expect(await bare.authenticate({ username, password: 'x' })).toBeNull();
      const log = await logSince(mark);
      // a simple bind to a DN that is not one: slapd answers invalidDNSyntax (34)
      expect(log).toContain(`do_bind: invalid dn (${username})`);
      expect(log).not.toMatch(/method=163|mech=/);
    }
  });
});

describe('create, changePassword, delete, list', () => {
  it('manages users under users_root with the service account', async () => {
    const backend = await createLdapBackend(searchOptions(), context());
    const name = `carol${process.pid}`;

    const created = await backend.create(name, 'carolpw', { mail: 'carol@example.com' });
    expect(created.id).toBe(`uid=${name},ou=managed,${slapd.suffix}`);
    await expect(backend.create(name, 'again')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_USER_EXISTS',
    });
    expect(await backend.authenticate({ username: name, password: 'carolpw' })).not.toBeNull();
    expect(await backend.lookup(name)).toMatchObject({ attributes: { mail: 'carol@example.com' } });
    expect(await backend.list()).toContain(name);

    expect(await backend.changePassword(name, 'newpw')).toBe(true);
    expect(await backend.authenticate({ username: name, password: 'carolpw' })).toBeNull();
    expect(await backend.authenticate({ username: name, password: 'newpw' })).not.toBeNull();
    expect(await backend.changePassword('nobody', 'x')).toBe(false);

    expect(await backend.delete(name)).toBe(true);
    expect(await backend.delete(name)).toBe(false);
    expect(await backend.lookup(name)).toBeNull();
    expect(await backend.authenticate({ username: name, password: 'newpw' })).toBeNull();
  });

  it('lists names sorted', async () => {
    const backend = await createLdapBackend(
      searchOptions({ users_root: `ou=people,${slapd.suffix}` }),
      context(),
    );
    expect(await backend.list()).toEqual(['alice', 'bob', 'twin']);
  });
});

describe('check and outages', () => {
  it('check resolves while slapd runs', async () => {
    const backend = await createLdapBackend(searchOptions(), context());
    await expect(backend.check()).resolves.toBeUndefined();
  });

  it('a stopped server gives BackendError, and the same backend works once it is back', async () => {
    const backend = await createLdapBackend(searchOptions(), context());
    expect(await backend.authenticate({ username: 'alice', password: 'alicepw' })).not.toBeNull();

    await slapd.stop();
    try {
      const failure = backend.authenticate({ username: 'alice', password: 'alicepw' });
      await expect(failure).rejects.toBeInstanceOf(BackendError);
      await expect(failure).rejects.toMatchObject({ backend: 'ldap', status: 503 });
      await expect(
        backend.authenticate({ username: 'alice', password: 'wrong' }),
      ).rejects.toBeInstanceOf(BackendError);
      await expect(backend.check()).rejects.toBeInstanceOf(BackendError);
    } finally {
      await slapd.restart();
    }

    expect(await backend.authenticate({ username: 'alice', password: 'alicepw' })).not.toBeNull();
    await expect(backend.check()).resolves.toBeUndefined();
  });

  it('a server that never answers gives BackendError within the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const backend = await createLdapBackend(
        searchOptions({ ldapuri: `ldap://127.0.0.1:${silent.port}`, timeout: 1 }),
        context(),
      );
      const started = Date.now();
      await expect(
        backend.authenticate({ username: 'alice', password: 'alicepw' }),
      ).rejects.toBeInstanceOf(BackendError);
      await expect(backend.check()).rejects.toBeInstanceOf(BackendError);
      expect(Date.now() - started).toBeLessThan(4000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(silent.openConnections()).toBe(0);
    } finally {
      await silent.close();
    }
  });
});

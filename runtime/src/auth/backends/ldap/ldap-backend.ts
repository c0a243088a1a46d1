import createDebug from 'debug';
import {
  AlreadyExistsError,
  Attribute,
  Change,
  type Client,
  InvalidDNSyntaxError,
  SizeLimitExceededError,
  type DN,
  type Entry,
} from 'ldapts';
import { ServiceError } from '../../../errors/service-error.js';
import type { Logger } from '../../../log/logger.js';
import type {
  BackendContext,
  BackendOptions,
  Credentials,
  User,
  UserBackend,
} from '../../types.js';
import { invalidInput, userExists } from '../backend-errors.js';
import { escapeDnValue, hasControlCharacter } from './escape-dn-value.js';
import { escapeFilterValue } from './escape-filter-value.js';
import { connectLdap } from './ldap-client.js';
import { isBindRefusal, isNoSuchObject, ldapUnavailable } from './ldap-errors.js';
import { readLdapOptions, type LdapOptions } from './ldap-options.js';
import { sshaUserPassword } from './ldap-password.js';

const debug = createDebug('services:auth:ldap');

/**
 * Builds the LDAP user backend from the `[auth]` options (see docs/backends.md).
 *
 * A login binds as the user: either straight to `bind_dn_template` with the user name escaped per
 * RFC 4514, or to the one entry that `search_filter` (value escaped per RFC 4515) finds under
 * `search_root`, searched as the `bind`/`passwd` service account or anonymously. Every login uses
 * a connection of its own, so nothing runs under an earlier user's bind. An empty password never
 * reaches the directory, since a bind with one is an anonymous bind that many servers accept
 * (RFC 4513 5.1.2). Wrong credentials give `null`; a directory that is down or does not answer
 * within `timeout` gives a `BackendError`. Over `ldaps://` or with `use_tls` (StartTLS), the
 * certificate is checked against `tls_ca_file` (or Node's CAs), and no bind is sent in clear.
 *
 * ```ini
 * [auth]
 * backend = ldap
 * ldapuri = ldap://ldap.example.com
 * bind_dn_template = uid={username},ou=people,dc=example,dc=com
 * ```
 */
export async function createLdapBackend(
  options: BackendOptions,
  context: BackendContext,
): Promise<UserBackend> {
  const ldapOptions = readLdapOptions(options, context);
  if (ldapOptions.tls?.rejectUnauthorized === false) {
    // said once at startup, so that a test setting cannot reach production unnoticed
    context.logger.warn('auth.ldap.tls_unverified', {
      ldapuri: ldapOptions.url,
      message: 'tls_reject_unauthorized = false: the directory certificate is not checked',
    });
  }
  return new LdapBackend(ldapOptions, context.logger);
}

/** A search result of at most one entry; `ambiguous` when the filter matched several. */
type Found = { entry: Entry; ambiguous: false } | { entry: undefined; ambiguous: boolean };

class LdapBackend implements UserBackend {
  readonly name = 'ldap';

  constructor(
    private readonly options: LdapOptions,
    private readonly logger: Logger,
  ) {}

  async authenticate(credentials: Credentials): Promise<User | null> {
    const { username, password } = credentials;
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    // RFC 4513 5.1.2: a name with an empty password is an unauthenticated bind, which
    // "succeeds" on servers that allow it; refuse it before the directory sees it
    if (username === '' || password === '') return null;
    if (hasControlCharacter(username)) return null;

    const found = await this.findUserEntry(username);
    if (!found) return null;
    const bound = await this.bindAs(found.dn, password, found.entry === undefined);
    if (!bound) return null;

    const entry = found.entry ?? bound.entry;
    if (!entry || !this.namesExactly(entry, username)) {
      debug('login refused: %s is not the name the directory holds for %s', username, found.dn);
      return null;
    }
    if (!this.isEnabled(entry)) {
      debug('login refused: %s is not enabled', found.dn);
      return null;
    }
    return toUser(username, found.dn, entry);
  }

  async lookup(username: string): Promise<User | null> {
    if (typeof username !== 'string' || username === '' || hasControlCharacter(username)) {
      return null;
    }
    const found = await this.findUserEntry(username, true);
    if (!found?.entry || !this.namesExactly(found.entry, username)) return null;
    return toUser(username, found.dn, found.entry);
  }

  async create(
    username: string,
    password: string,
    attributes: Record<string, unknown> = {},
  ): Promise<User> {
    const usersRoot = this.requireWriteAccess('create');
    requireStrings(username, password);
    const dn = `${this.options.usernameAttribute}=${escapeDnValue(username)},${usersRoot}`;
    if (await this.lookup(username)) throw userExists(username);

    const entry: Record<string, string | string[]> = {
      objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
      [this.options.usernameAttribute]: username,
      cn: username,
      sn: username,
      userPassword: sshaUserPassword(password),
    };
    if (typeof attributes['mail'] === 'string') entry['mail'] = attributes['mail'];
    await this.withServiceAccount('add', async (client) => {
      try {
        await client.add(dn, entry);
      } catch (error) {
        if (error instanceof AlreadyExistsError) throw userExists(username);
        throw error;
      }
    });
    return { username, id: dn, attributes: { dn } };
  }

  async changePassword(username: string, password: string): Promise<boolean> {
    this.requireWriteAccess('change passwords');
    requireStrings(username, password);
    const found = await this.findUserEntry(username, true);
    if (!found) return false;
    const change = new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'userPassword', values: [sshaUserPassword(password)] }),
    });
    return this.withServiceAccount('modify', async (client) => {
      try {
        await client.modify(found.dn, change);
        return true;
      } catch (error) {
        if (isNoSuchObject(error)) return false;
        throw error;
      }
    });
  }

  async delete(username: string): Promise<boolean> {
    this.requireWriteAccess('delete users');
    if (typeof username !== 'string') return false;
    const found = await this.findUserEntry(username, true);
    if (!found) return false;
    return this.withServiceAccount('delete', async (client) => {
      try {
        await client.del(found.dn);
        return true;
      } catch (error) {
        if (isNoSuchObject(error)) return false;
        throw error;
      }
    });
  }

  async list(): Promise<string[]> {
    const base = this.options.usersRoot ?? this.options.searchRoot;
    if (base === undefined) throw missingWriteOptions('list users');
    const attribute = this.options.usernameAttribute;
    const names = await this.withServiceAccount('search', async (client) => {
      const { searchEntries } = await client.search(base, {
        scope: 'sub',
        filter: `(&(objectClass=inetOrgPerson)(${attribute}=*))`,
        attributes: [attribute],
      });
      return searchEntries.flatMap((entry) => attributeValues(entry, attribute));
    });
    return [...new Set(names)].sort();
  }

  async check(): Promise<void> {
    await this.withServiceAccount('check', async (client) => {
      // a rootDSE read needs no rights, and proves the server answers searches
      await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
    });
  }

  async close(): Promise<void> {
    // every operation opens and closes its own connection, so nothing stays open
  }

  /**
   * The DN to bind as, and the entry when a search found it. With a DN template no search runs
   * (unless `withEntry`, for lookups), so a missing user costs one refused bind.
   */
  private async findUserEntry(
    username: string,
    withEntry = false,
  ): Promise<{ dn: string; entry: Entry | undefined } | null> {
    const { bindDnTemplate, searchRoot } = this.options;
    if (bindDnTemplate !== undefined && (!withEntry || searchRoot === undefined)) {
      const dn = bindDnTemplate.replaceAll('{username}', escapeDnValue(username));
      if (!withEntry) return { dn, entry: undefined };
      const entry = await this.readEntry(dn);
      return entry ? { dn, entry } : null;
    }
    const found = await this.searchUser(username);
    if (found.ambiguous) {
      this.logger.warn('auth.ldap.ambiguous', { username, searchRoot });
      return null;
    }
    return found.entry ? { dn: found.entry.dn, entry: found.entry } : null;
  }

  private async searchUser(username: string): Promise<Found> {
    const filter = this.options.searchFilter.replaceAll('{username}', escapeFilterValue(username));
    const base = this.options.searchRoot!;
    return this.withServiceAccount('search', async (client) => {
      const { searchEntries } = await client
        .search(base, {
          scope: 'sub',
          filter,
          attributes: this.entryAttributes(),
          // two are enough to know the name is ambiguous; the server stops there
          sizeLimit: 2,
        })
        .catch((error: unknown) => {
          if (error instanceof SizeLimitExceededError) {
            return { searchEntries: [{ dn: '' }, { dn: '' }] as Entry[] };
          }
          throw error;
        });
      if (searchEntries.length > 1) return { entry: undefined, ambiguous: true };
      const [entry] = searchEntries;
      return entry ? { entry, ambiguous: false } : { entry: undefined, ambiguous: false };
    });
  }

  private async readEntry(dn: string): Promise<Entry | undefined> {
    return this.withServiceAccount('search', (client) =>
      baseEntry(client, dn, this.entryAttributes()),
    );
  }

  /**
   * Binds as the user; with `readEntry` (the DN-template mode, where no search found the entry)
   * the same connection then reads the user's own entry, so the name can be checked against the
   * directory's (see `namesExactly`). A directory whose ACLs hide a user's own entry from that
   * user refuses every login in this mode; a service account (`bind`) avoids it.
   */
  private async bindAs(
    dn: string,
    password: string,
    readEntry: boolean,
  ): Promise<{ entry: Entry | undefined } | null> {
    return this.withConnection('bind', async (client) => {
      try {
        await client.bind(simpleBindName(dn), password);
      } catch (error) {
        if (isBindRefusal(error)) return null;
        throw error;
      }
      if (!readEntry) return { entry: undefined };
      return { entry: await baseEntry(client, dn, this.entryAttributes()) };
    });
  }

  private entryAttributes(): string[] {
    const wanted = ['mail', this.options.usernameAttribute];
    if (this.options.enabledAttribute !== undefined) wanted.push(this.options.enabledAttribute);
    return wanted;
  }

  /**
   * Directories match names ignoring case and surrounding spaces (the `uid` matching rules), so
   * `ALICE` and ` alice` bind as alice. Only the exact name the entry holds is accepted, so one
   * account never shows up as several user names to what the service keys by name.
   */
  private namesExactly(entry: Entry, username: string): boolean {
    return attributeValues(entry, this.options.usernameAttribute).includes(username);
  }

  private isEnabled(entry: Entry): boolean {
    const attribute = this.options.enabledAttribute;
    if (attribute === undefined) return true;
    return attributeValues(entry, attribute).includes(this.options.enabledValue);
  }

  private requireWriteAccess(action: string): string {
    const { bindDn, usersRoot } = this.options;
    if (bindDn === undefined || usersRoot === undefined) throw missingWriteOptions(action);
    return usersRoot;
  }

  /** Runs `work` on a fresh connection bound as the service account (anonymous without one). */
  private async withServiceAccount<T>(
    operation: string,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    return this.withConnection(operation, async (client) => {
      const { bindDn, bindPassword } = this.options;
      if (bindDn !== undefined && bindPassword !== undefined) {
        await client.bind(simpleBindName(bindDn), bindPassword);
      }
      return work(client);
    });
  }

  /** Opens a connection, runs `work`, always closes it; any directory failure is a BackendError. */
  private async withConnection<T>(
    operation: string,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    let client: Client | undefined;
    try {
      client = await connectLdap(this.options);
      return await work(client);
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      debug('%s failed: %O', operation, error);
      throw ldapUnavailable(error, operation);
    } finally {
      await client?.unbind().catch(() => {});
    }
  }
}

/**
 * ldapts turns a bind whose DN string is exactly `EXTERNAL`, `PLAIN`, `DIGEST-MD5` or
 * `SCRAM-SHA-1` into a SASL bind. Handing it an object that renders as the DN keeps every bind a
 * simple bind, whatever the user name is.
 */
function simpleBindName(dn: string): DN {
  return { toString: () => dn } as unknown as DN;
}

async function baseEntry(
  client: Client,
  dn: string,
  attributes: string[],
): Promise<Entry | undefined> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes });
    return searchEntries[0];
  } catch (error) {
    if (isNoSuchObject(error) || error instanceof InvalidDNSyntaxError) {
      return undefined;
    }
    throw error;
  }
}

function attributeValues(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (Buffer.isBuffer(item) ? item.toString('utf8') : String(item)));
}

function toUser(username: string, dn: string, entry: Entry | undefined): User {
  const attributes: Record<string, unknown> = { dn };
  const mail = entry ? attributeValues(entry, 'mail')[0] : undefined;
  if (mail !== undefined) attributes['mail'] = mail;
  return { username, id: dn, attributes };
}

function requireStrings(username: string, password: string): void {
  if (
    typeof username !== 'string' ||
    typeof password !== 'string' ||
    username === '' ||
    password === ''
  ) {
    throw invalidInput('user name and password must be non-empty strings');
  }
}

function missingWriteOptions(action: string): ServiceError {
  return new ServiceError(
    'SVC_ERR_AUTH_LDAP_OPTIONS',
    `the ldap backend needs [auth] bind, passwd and users_root to ${action}`,
    { status: 500, expose: false },
  );
}

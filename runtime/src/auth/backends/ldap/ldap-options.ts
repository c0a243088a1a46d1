import { resolve } from 'node:path';
import { configFolder } from '../../../config/config-folder.js';
import type { ConfigValue } from '../../../config/config.js';
import { secondsToMilliseconds } from '../../../config/seconds.js';
import { ConfigError } from '../../../errors/config-error.js';
import { errorMessage } from '../../../errors/error-message.js';
import type { BackendContext, BackendOptions } from '../../types.js';
import { optionLocation } from '../backend-errors.js';
import { readCaFile } from './ldap-ca-file.js';

/** The `[auth]` options of the LDAP backend, checked and with their defaults applied. */
export interface LdapOptions {
  url: string;
  /** StartTLS on an `ldap://` connection before anything else is sent. */
  useTls: boolean;
  /** The TLS checks for `ldaps://` and StartTLS; `undefined` on a plain `ldap://` connection. */
  tls: LdapTlsOptions | undefined;
  /** `uid={username},ou=people,dc=example,dc=com`: bind directly, without a search. */
  bindDnTemplate: string | undefined;
  /** The service account, for searches and for creating, changing and deleting users. */
  bindDn: string | undefined;
  bindPassword: string | undefined;
  searchRoot: string | undefined;
  searchFilter: string;
  usernameAttribute: string;
  enabledAttribute: string | undefined;
  enabledValue: string;
  usersRoot: string | undefined;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/** How the directory's certificate is checked, for `ldaps://` and for StartTLS alike. */
export interface LdapTlsOptions {
  /** The PEM text of `tls_ca_file`; Node's default CAs without one. */
  ca: string | undefined;
  /** The absolute path `tls_ca_file` was read from. */
  caFile: string | undefined;
  /** `tls_reject_unauthorized`: false accepts any certificate (test setups only). */
  rejectUnauthorized: boolean;
}

const placeholder = '{username}';

/**
 * Reads and checks the LDAP options; a mistake is a `ConfigError` (`SVC_ERR_AUTH_LDAP_OPTIONS`)
 * pointing at the key, raised when the backend is built rather than on the first login.
 */
export function readLdapOptions(options: BackendOptions, context: BackendContext): LdapOptions {
  const read: OptionReader = new OptionReader(options, context);
  const url = read.string('ldapuri');
  if (url === undefined) read.fail('ldapuri', '[auth] ldapuri is required for the ldap backend');
  if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url)) {
    read.fail('ldapuri', `[auth] ldapuri must look like ldap://host:port or ldaps://host:port`);
  }

  const parsed: LdapOptions = {
    url,
    useTls: read.boolean('use_tls') ?? false,
    tls: undefined,
    bindDnTemplate: read.string('bind_dn_template'),
    bindDn: read.string('bind'),
    bindPassword: read.secret('passwd'),
    searchRoot: read.string('search_root'),
    searchFilter: read.string('search_filter') ?? '(uid={username})',
    usernameAttribute: read.string('username_attribute') ?? 'uid',
    enabledAttribute: read.string('enabled_attribute'),
    enabledValue: read.string('enabled_value') ?? 'TRUE',
    usersRoot: read.string('users_root'),
    timeoutMs: read.seconds('timeout') ?? 5000,
    connectTimeoutMs: read.seconds('connect_timeout') ?? 5000,
  };
  checkStrategy(parsed, read);
  return { ...parsed, tls: readTlsOptions(parsed, read, context) };
}

/** Reads `tls_ca_file` and `tls_reject_unauthorized`, which only mean something over TLS. */
function readTlsOptions(
  options: LdapOptions,
  read: OptionReader,
  context: BackendContext,
): LdapTlsOptions | undefined {
  const caPath = read.string('tls_ca_file');
  const rejectUnauthorized = read.boolean('tls_reject_unauthorized');
  const secure = options.useTls || options.url.toLowerCase().startsWith('ldaps:');
  if (!secure) {
    if (caPath !== undefined || rejectUnauthorized !== undefined) {
      const key = caPath === undefined ? 'tls_reject_unauthorized' : 'tls_ca_file';
      read.fail(key, `[auth] ${key} needs an ldaps:// ldapuri or use_tls = true`);
    }
    return undefined;
  }
  const verify = rejectUnauthorized ?? true;
  if (caPath === undefined) return { ca: undefined, caFile: undefined, rejectUnauthorized: verify };

  // a relative path is taken from the folder of the file the key was written in
  const written = optionLocation(context, 'tls_ca_file').file ?? context.config.file;
  const caFile = resolve(configFolder(written), caPath);
  try {
    return { ca: readCaFile(caFile), caFile, rejectUnauthorized: verify };
  } catch (error) {
    read.fail('tls_ca_file', `[auth] tls_ca_file: ${errorMessage(error)}`);
  }
}

function checkStrategy(options: LdapOptions, read: OptionReader): void {
  if (options.useTls && options.url.toLowerCase().startsWith('ldaps:')) {
    read.fail('use_tls', '[auth] use_tls (StartTLS) cannot be combined with an ldaps:// URI');
  }
  if (options.bindDnTemplate !== undefined && !options.bindDnTemplate.includes(placeholder)) {
    read.fail('bind_dn_template', `[auth] bind_dn_template must contain ${placeholder}`);
  }
  if (options.bindDnTemplate === undefined && options.searchRoot === undefined) {
    read.fail('ldapuri', '[auth] the ldap backend needs bind_dn_template or search_root');
  }
  if (!options.searchFilter.includes(placeholder) || !/^\(.*\)$/.test(options.searchFilter)) {
    read.fail(
      'search_filter',
      `[auth] search_filter must be a filter in parentheses containing ${placeholder}`,
    );
  }
  if ((options.bindDn === undefined) !== (options.bindPassword === undefined)) {
    read.fail('bind', '[auth] bind and passwd go together: set both or neither');
  }
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(options.usernameAttribute)) {
    read.fail('username_attribute', '[auth] username_attribute must be an attribute name');
  }
}

class OptionReader {
  constructor(
    private readonly options: BackendOptions,
    private readonly context: BackendContext,
  ) {}

  string(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '')
      this.fail(key, `[auth] ${key} must be a non-empty string`);
    return value;
  }

  /** A password: the config reader may have turned one made only of digits into a number. */
  secret(key: string): string | undefined {
    const value = this.value(key);
    if (typeof value === 'number') return String(value);
    return this.string(key);
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined || typeof value === 'boolean') return value;
    this.fail(key, `[auth] ${key} must be true or false`);
  }

  /** A positive number of seconds, returned in milliseconds. */
  seconds(key: string): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const milliseconds = secondsToMilliseconds(value);
    if (milliseconds === undefined || milliseconds === 0) {
      this.fail(key, `[auth] ${key} must be a positive number of seconds`);
    }
    return milliseconds;
  }

  fail(key: string, message: string): never {
    throw new ConfigError('SVC_ERR_AUTH_LDAP_OPTIONS', message, optionLocation(this.context, key));
  }

  private value(key: string): ConfigValue | undefined {
    return this.options[key];
  }
}

import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { ldapUnavailable } from './ldap-errors.js';
import type { LdapOptions, LdapTlsOptions } from './ldap-options.js';

/**
 * Opens a connection for one backend operation: plain `ldap://`, `ldaps://` with the configured
 * TLS checks, or `ldap://` upgraded with StartTLS (`use_tls`) before the caller sends anything.
 * A StartTLS the server refuses, or a certificate that does not verify, is a `BackendError`; the
 * connection is closed then and never goes on in plain text.
 */
export async function connectLdap(options: LdapOptions): Promise<Client> {
  if (!options.useTls) return newClient(options, options.tls);

  const tls = options.tls ?? { ca: undefined, caFile: undefined, rejectUnauthorized: true };
  const client = newClient(options, undefined);
  try {
    // RFC 4513 section 3: the StartTLS request is the first operation on the connection, and a
    // refusal (or a failed handshake) leaves the client to close it rather than bind in clear
    await client.startTLS(handshakeOptions(options.url, tls));
    return client;
  } catch (error) {
    await client.unbind().catch(() => {});
    throw ldapUnavailable(error, 'StartTLS');
  }
}

/** The ldapts client; `tls` only for `ldaps://`, since ldapts speaks TLS at once when given it. */
function newClient(options: LdapOptions, tls: LdapTlsOptions | undefined): Client {
  return new Client({
    url: options.url,
    timeout: options.timeoutMs,
    connectTimeout: options.connectTimeoutMs,
    strictDN: false,
    ...(tls === undefined ? {} : { tlsOptions: certificateChecks(tls) }),
  });
}

function handshakeOptions(url: string, tls: LdapTlsOptions): ConnectionOptions {
  const host = hostOf(url);
  return {
    ...certificateChecks(tls),
    // the name the certificate is checked against; SNI takes host names only, not addresses
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
}

function certificateChecks(tls: LdapTlsOptions): ConnectionOptions {
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
  };
}

function hostOf(url: string): string {
  const { hostname } = new URL(url);
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

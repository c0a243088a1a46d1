import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorCode } from '../../../errors/error-message.js';

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Reads a PEM file of CA certificates for `tls_ca_file` and returns its text, for the `ca` TLS
 * option. Every certificate block is parsed here, at startup, because Node only notices a broken
 * bundle at the first handshake, which would turn a configuration mistake into failed logins.
 * Throws an `Error` whose message says what is wrong with the file.
 *
 * ```ts
 * const ca = readCaFile('/etc/ssl/ldap-ca.pem'); // '-----BEGIN CERTIFICATE-----\n...'
 * ```
 */
export function readCaFile(path: string): string {
  const text = readText(path);
  const blocks = text.match(pemBlock) ?? [];
  if (blocks.length === 0) throw new Error(`${path} holds no PEM certificate`);
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new Error(`certificate ${index + 1} in ${path} is not a valid PEM certificate`);
    }
  });
  return blocks.join('\n');
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    throw new Error(`cannot read ${path}${code === undefined ? '' : ` (${code})`}`);
  }
}

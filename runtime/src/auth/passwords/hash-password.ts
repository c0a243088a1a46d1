import { ServiceError } from '../../errors/service-error.js';
import type { PasswordScheme, VerifyOutcome } from './password-scheme.js';
import { scryptScheme } from './scrypt-phc.js';
import { ssha256Scheme, sshaScheme } from './salted-sha.js';
import { sscryptScheme } from './sscrypt.js';
import { shaScheme } from './unsalted-sha.js';

/** Every scheme that can be verified; the first one is what new hashes use. */
const schemes: readonly PasswordScheme[] = [
  scryptScheme,
  sscryptScheme,
  ssha256Scheme,
  sshaScheme,
  shaScheme,
];

/** The scheme `hashPassword` uses when none is named. */
const defaultScheme = scryptScheme.name;

/**
 * Hashes a password for storage. The password is NFC-normalised first (RFC 8265's OpaqueString
 * profile), so the same text typed on different keyboards gives one password. The default scheme
 * is scrypt in a PHC string (`$scrypt$ln=15,r=8,p=1$salt$key`); the legacy names `sscrypt`,
 * `ssha` and `ssha-256` exist for fixtures and migrations.
 *
 * ```ts
 * const stored = await hashPassword('correct horse'); // '$scrypt$ln=15,r=8,p=1$...'
 * ```
 */
export async function hashPassword(
  password: string,
  scheme: string = defaultScheme,
): Promise<string> {
  const chosen = schemes.find((candidate) => candidate.name === scheme.toLowerCase());
  if (!chosen?.hash) {
    throw new ServiceError(
      'SVC_ERR_AUTH_UNKNOWN_SCHEME',
      `unknown password scheme "${scheme}"; use one of ${writableSchemes().join(', ')}`,
    );
  }
  return chosen.hash(password.normalize('NFC'));
}

/**
 * Checks a password against a stored hash of any supported scheme. A wrong password, an
 * unprefixed or unknown stored value and a malformed hash all resolve `false`; it never throws for
 * them. Use `isMalformedHash` to tell the last two apart for the log.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return (await checkPassword(password, stored)) === true;
}

/**
 * The full outcome: `true`, `false` for a wrong password, `'malformed'` when the stored value
 * belongs to no scheme or cannot be read.
 */
export async function checkPassword(password: string, stored: string): Promise<VerifyOutcome> {
  const scheme = schemeFor(stored);
  if (!scheme) return 'malformed';
  const normalised = password.normalize('NFC');
  const outcome = await scheme.verify(normalised, stored);
  // legacy hashes were made from whatever bytes the client sent, normalised or not
  if (outcome === false && scheme.legacy && normalised !== password) {
    return scheme.verify(password, stored);
  }
  return outcome;
}

/**
 * True when the stored value cannot be verified at all: no scheme tag (the legacy stack never
 * validated unprefixed hashes either), an unknown tag, or a body that does not decode.
 */
export function isMalformedHash(stored: string): boolean {
  const scheme = schemeFor(stored);
  return !scheme?.wellFormed(stored);
}

/**
 * True when a stored hash should be replaced after the next successful login: every legacy scheme,
 * and scrypt hashes whose parameters are below the current ones.
 */
export function needsRehash(stored: string): boolean {
  const scheme = schemeFor(stored);
  return scheme === undefined || scheme.needsRehash(stored);
}

function schemeFor(stored: string): PasswordScheme | undefined {
  if (typeof stored !== 'string') return undefined;
  return schemes.find((scheme) => scheme.recognises(stored));
}

function writableSchemes(): string[] {
  return schemes.filter((scheme) => scheme.hash !== undefined).map((scheme) => scheme.name);
}

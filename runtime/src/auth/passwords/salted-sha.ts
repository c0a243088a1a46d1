import { createHash } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.js';
import { legacySalt } from './legacy-salt.js';
import type { PasswordScheme, VerifyOutcome } from './password-scheme.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { taggedBody } from './tagged-body.js';

/**
 * RFC 2307-style salted digests: `{SSHA}` is base64(sha1(utf8(pw) + salt) + salt) and
 * `{SSHA-256}` the same with SHA-256. The digest has a fixed length, so everything after it is the
 * salt: 8 bytes in what the legacy stack wrote, any length in what OpenLDAP writes.
 */
function saltedShaScheme(name: string, tag: string, algorithm: 'sha1' | 'sha256'): PasswordScheme {
  const digestLength = algorithm === 'sha1' ? 20 : 32;
  const digest = (password: string, salt: Buffer): Buffer =>
    createHash(algorithm).update(password, 'utf8').update(salt).digest();

  return {
    name,
    legacy: true,
    recognises: (stored) => taggedBody(stored, tag) !== undefined,
    wellFormed: (stored) =>
      (decodeStrictBase64(taggedBody(stored, tag) ?? '')?.length ?? 0) > digestLength,
    async hash(password) {
      const salt = legacySalt();
      return tag + Buffer.concat([digest(password, salt), salt]).toString('base64');
    },
    async verify(password, stored): Promise<VerifyOutcome> {
      const body = decodeStrictBase64(taggedBody(stored, tag) ?? '');
      if (!body || body.length <= digestLength) return 'malformed';
      const salt = body.subarray(digestLength);
      return constantTimeEqual(digest(password, salt), body.subarray(0, digestLength));
    },
    needsRehash: () => true,
  };
}

/** `{SSHA}`: salted SHA-1. */
export const sshaScheme = saltedShaScheme('ssha', '{SSHA}', 'sha1');

/** `{SSHA-256}`: salted SHA-256, the legacy `users` table's format. */
export const ssha256Scheme = saltedShaScheme('ssha-256', '{SSHA-256}', 'sha256');

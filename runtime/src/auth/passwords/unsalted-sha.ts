import { createHash } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.js';
import type { PasswordScheme, VerifyOutcome } from './password-scheme.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { taggedBody } from './tagged-body.js';

/**
 * `{SHA}`: base64(sha1(utf8(pw))), the unsalted RFC 2307 scheme found in LDAP directories.
 * Verified so that such users can log in once and get a modern hash; never written.
 */
export const shaScheme: PasswordScheme = {
  name: 'sha',
  legacy: true,
  recognises: (stored) => taggedBody(stored, '{SHA}') !== undefined,
  wellFormed: (stored) => decodeStrictBase64(taggedBody(stored, '{SHA}') ?? '')?.length === 20,
  async verify(password, stored): Promise<VerifyOutcome> {
    const body = decodeStrictBase64(taggedBody(stored, '{SHA}') ?? '');
    if (!body || body.length !== 20) return 'malformed';
    return constantTimeEqual(createHash('sha1').update(password, 'utf8').digest(), body);
  },
  needsRehash: () => true,
};

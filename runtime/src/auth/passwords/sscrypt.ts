import { constantTimeEqual } from './constant-time-equal.js';
import { legacySalt } from './legacy-salt.js';
import type { PasswordScheme, VerifyOutcome } from './password-scheme.js';
import { scryptAsync, scryptMaxmem } from './scrypt-async.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { taggedBody } from './tagged-body.js';

// py-scrypt's defaults, which the legacy SQL backend used without storing them.
const cost = 16384;
const blockSize = 8;
const keyLength = 64;
const options = { N: cost, r: blockSize, p: 1, maxmem: scryptMaxmem(cost, blockSize) };

/** `{SSCRYPT}`: base64(scrypt(pw, salt, N=16384, r=8, p=1, 64 bytes) + salt). */
export const sscryptScheme: PasswordScheme = {
  name: 'sscrypt',
  legacy: true,
  recognises: (stored) => taggedBody(stored, '{SSCRYPT}') !== undefined,
  wellFormed: (stored) =>
    (decodeStrictBase64(taggedBody(stored, '{SSCRYPT}') ?? '')?.length ?? 0) > keyLength,
  async hash(password) {
    const salt = legacySalt();
    const key = await scryptAsync(Buffer.from(password, 'utf8'), salt, keyLength, options);
    return '{SSCRYPT}' + Buffer.concat([key, salt]).toString('base64');
  },
  async verify(password, stored): Promise<VerifyOutcome> {
    const body = decodeStrictBase64(taggedBody(stored, '{SSCRYPT}') ?? '');
    if (!body || body.length <= keyLength) return 'malformed';
    const salt = body.subarray(keyLength);
    const key = await scryptAsync(Buffer.from(password, 'utf8'), salt, keyLength, options);
    return constantTimeEqual(key, body.subarray(0, keyLength));
  },
  needsRehash: () => true,
};

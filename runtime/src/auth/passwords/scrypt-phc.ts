import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.js';
import type { PasswordScheme, VerifyOutcome } from './password-scheme.js';
import { scryptAsync, scryptMaxmem } from './scrypt-async.js';
import { decodeUnpaddedBase64, encodeUnpaddedBase64 } from './strict-base64.js';

/** Parameters of a `$scrypt$` hash: N = 2^ln, block size r, parallelism p. */
interface ScryptParameters {
  ln: number;
  r: number;
  p: number;
}

/**
 * The parameters new hashes get. N=2^15, r=8 takes 70-90 ms on a shared two-core machine and
 * 32 MiB per hash in flight; OWASP's N=2^17 takes four times the time and memory, which a login
 * endpoint on such hardware cannot afford under load. docs/auth.md explains the trade-off.
 */
const currentScryptParameters: Readonly<ScryptParameters> = { ln: 15, r: 8, p: 1 };

const saltLength = 16;
const keyLength = 32;
// A stored hash is data: parameters beyond these would let one row cost seconds or gigabytes.
const limits = { ln: [1, 20], r: [1, 32], p: [1, 16] } as const;
const maxMemory = 256 * 1024 * 1024;
const phcPattern =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

interface ParsedHash extends ScryptParameters {
  salt: Buffer;
  key: Buffer;
}

/**
 * The modern scheme: `$scrypt$ln=15,r=8,p=1$<salt>$<key>` in the PHC string format, salt and key
 * in unpadded base64. The parameters travel with the hash, so they can be raised later and old
 * hashes still verify (and get rehashed on the next login).
 */
export const scryptScheme: PasswordScheme = {
  name: 'scrypt',
  legacy: false,
  recognises: (stored) => stored.startsWith('$scrypt$'),
  wellFormed: (stored) => parse(stored) !== undefined,
  async hash(password) {
    const salt = randomBytes(saltLength);
    const key = await derive(password, salt, currentScryptParameters, keyLength);
    return format(currentScryptParameters, salt, key);
  },
  async verify(password, stored): Promise<VerifyOutcome> {
    const parsed = parse(stored);
    if (!parsed) return 'malformed';
    const key = await derive(password, parsed.salt, parsed, parsed.key.length);
    return constantTimeEqual(key, parsed.key);
  },
  needsRehash(stored) {
    const parsed = parse(stored);
    if (!parsed) return true;
    const current = currentScryptParameters;
    return (
      parsed.ln < current.ln ||
      parsed.r < current.r ||
      parsed.p < current.p ||
      parsed.salt.length < saltLength ||
      parsed.key.length < keyLength
    );
  },
};

function derive(
  password: string,
  salt: Buffer,
  { ln, r, p }: ScryptParameters,
  length: number,
): Promise<Buffer> {
  const cost = 2 ** ln;
  const options = { N: cost, r, p, maxmem: scryptMaxmem(cost, r) };
  return scryptAsync(Buffer.from(password, 'utf8'), salt, length, options);
}

function format({ ln, r, p }: ScryptParameters, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${ln},r=${r},p=${p}$${encodeUnpaddedBase64(salt)}$${encodeUnpaddedBase64(key)}`;
}

function parse(stored: string): ParsedHash | undefined {
  const match = phcPattern.exec(stored);
  if (!match) return undefined;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!within(ln, limits.ln) || !within(r, limits.r) || !within(p, limits.p)) return undefined;
  if (128 * 2 ** ln * r > maxMemory) return undefined;
  const salt = decodeUnpaddedBase64(match[4]!);
  const key = decodeUnpaddedBase64(match[5]!);
  if (!salt || !key || salt.length < 8 || key.length < 16) return undefined;
  return { ln, r, p, salt, key };
}

function within(value: number, [low, high]: readonly [number, number]): boolean {
  return value >= low && value <= high;
}

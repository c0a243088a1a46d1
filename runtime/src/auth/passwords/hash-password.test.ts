import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  hashPassword,
  isMalformedHash,
  needsRehash,
  verifyPassword,
} from './hash-password.js';

const sshaVector = '{SSHA}NBtDxvONZfbDfFzJLGaG7AvSOeFhYmNkZWZnaA==';
const sscryptVector =
  '{SSCRYPT}sbQAxbuW4O4QRSYDls91RfnZQdx7LH5N6rvXsZJ9/mZXzZCpheYbwd5vN12Gkat9EwjTbXi5Eoef76/MHvP7AGFiY2RlZmdo';

describe('verifyPassword', () => {
  it('verifies the legacy {SSHA} vector', async () => {
    expect(await verifyPassword('password1', sshaVector)).toBe(true);
    expect(await verifyPassword('password2', sshaVector)).toBe(false);
  });

  it('verifies the legacy {SSCRYPT} vector', async () => {
    expect(await verifyPassword('password1', sscryptVector)).toBe(true);
    expect(await verifyPassword('password2', sscryptVector)).toBe(false);
  });

  it('verifies OpenLDAP {SSHA} with a 4-byte salt and unsalted {SHA}', async () => {
    expect(await verifyPassword('secret', '{SSHA}gVK8WC9YyFT1gMsQHTGCgT3sSv5zYWx0')).toBe(true);
    expect(await verifyPassword('abcd123', '{SHA}fDYHuOYbzxlE6ehQOmYPIfS28/E=')).toBe(true);
    expect(await verifyPassword('abcd124', '{SHA}fDYHuOYbzxlE6ehQOmYPIfS28/E=')).toBe(false);
  });

  it('verifies {SSHA-256} written by hashPassword', async () => {
    const stored = await hashPassword('password1', 'ssha-256');
    expect(stored).toMatch(/^\{SSHA-256\}/);
    expect(Buffer.from(stored.slice(10), 'base64')).toHaveLength(40);
    expect(await verifyPassword('password1', stored)).toBe(true);
    expect(await verifyPassword('password', stored)).toBe(false);
  });

  it('reads legacy scheme tags without regard to case', async () => {
    expect(await verifyPassword('password1', sshaVector.replace('{SSHA}', '{ssha}'))).toBe(true);
  });

  it('never validates an unprefixed hash', async () => {
    const body = sshaVector.slice('{SSHA}'.length);
    expect(await verifyPassword('password1', body)).toBe(false);
    expect(await checkPassword('password1', body)).toBe('malformed');
  });

  it('resolves false, without throwing, for malformed stored values', async () => {
    const broken = [
      '',
      '{SSHA}!!!',
      '{SSHA}',
      '{MD4}x',
      '{SSHA}c2hvcnQ=',
      '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHQ',
      '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$c2FsdHNhbHRzYWx0c2FsdHNhbHQ',
      '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0$c2FsdHNhbHRzYWx0c2FsdHNhbHQ=',
      null as unknown as string,
    ];
    for (const stored of broken) {
      expect(await verifyPassword('password1', stored)).toBe(false);
      expect(isMalformedHash(stored)).toBe(true);
    }
  });

  it('compares a password of any length without throwing', async () => {
    const stored = await hashPassword('short', 'ssha');
    for (const password of ['', 's', 'short!', 'x'.repeat(10_000)]) {
      expect(await verifyPassword(password, stored)).toBe(false);
    }
  });

  it('matches an NFD password against a hash of the NFC text', async () => {
    const stored = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
    expect(await verifyPassword('cafe', stored)).toBe(false);
  });

  it('still matches a legacy hash made from non-normalised bytes', async () => {
    const { sshaScheme } = await import('./salted-sha.js');
    const stored = await sshaScheme.hash!('cafe\u0301');
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });
});

describe('hashPassword', () => {
  it('writes scrypt in a PHC string with the current parameters', async () => {
    const stored = await hashPassword('password1');
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('password1', stored)).toBe(true);
    expect(await verifyPassword('password2', stored)).toBe(false);
    expect(isMalformedHash(stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', 'ssha')).not.toBe(await hashPassword('same', 'ssha'));
  });

  it('does not truncate long passwords', async () => {
    const shared = 'a'.repeat(72);
    const first = shared + 'X'.repeat(28);
    const second = shared + 'Y'.repeat(28);
    const stored = await hashPassword(first);
    expect(await verifyPassword(first, stored)).toBe(true);
    expect(await verifyPassword(second, stored)).toBe(false);
  });

  it('writes {SSCRYPT} that the legacy layout reads', async () => {
    const stored = await hashPassword('password1', 'sscrypt');
    expect(Buffer.from(stored.slice(9), 'base64')).toHaveLength(72);
    expect(await verifyPassword('password1', stored)).toBe(true);
  });

  it('refuses an unknown or verify-only scheme', async () => {
    await expect(hashPassword('x', 'md5')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_UNKNOWN_SCHEME',
    });
    await expect(hashPassword('x', 'sha')).rejects.toMatchObject({
      code: 'SVC_ERR_AUTH_UNKNOWN_SCHEME',
    });
  });
});

describe('needsRehash', () => {
  it('is true for every legacy scheme', () => {
    expect(needsRehash(sshaVector)).toBe(true);
    expect(needsRehash(sscryptVector)).toBe(true);
    expect(needsRehash('{SHA}fDYHuOYbzxlE6ehQOmYPIfS28/E=')).toBe(true);
  });

  it('is true for scrypt with weaker parameters than the current ones', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const key = 'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U';
    expect(needsRehash(`$scrypt$ln=14,r=8,p=1$${salt}$${key}`)).toBe(true);
    expect(needsRehash(`$scrypt$ln=15,r=4,p=1$${salt}$${key}`)).toBe(true);
    expect(needsRehash(`$scrypt$ln=15,r=8,p=1$${salt}$${key}`)).toBe(false);
    expect(needsRehash(`$scrypt$ln=16,r=8,p=1$${salt}$${key}`)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './hash-password.js';
import { verifyAndUpgrade } from './verify-and-upgrade.js';

const sshaVector = '{SSHA}NBtDxvONZfbDfFzJLGaG7AvSOeFhYmNkZWZnaA==';

describe('verifyAndUpgrade', () => {
  it('replaces a legacy hash with scrypt after a correct password', async () => {
    const replaced: string[] = [];
    expect(
      await verifyAndUpgrade('password1', sshaVector, async (next) => void replaced.push(next)),
    ).toBe(true);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatch(/^\$scrypt\$ln=15,/);
    expect(await verifyPassword('password1', replaced[0]!)).toBe(true);
  });

  it('leaves the hash alone after a wrong password or a current hash', async () => {
    const replaced: string[] = [];
    const record = async (next: string): Promise<void> => void replaced.push(next);
    expect(await verifyAndUpgrade('wrong', sshaVector, record)).toBe(false);
    const current = await hashPassword('password1');
    expect(await verifyAndUpgrade('password1', current, record)).toBe(true);
    expect(replaced).toEqual([]);
  });
});

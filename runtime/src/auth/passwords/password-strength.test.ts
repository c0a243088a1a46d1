import { describe, expect, it } from 'vitest';
import { isStrongPassword } from './password-strength.js';

describe('isStrongPassword', () => {
  it('follows the legacy valid_password vectors', () => {
    expect(isStrongPassword('tarek', 'xx')).toBe(false);
    expect(isStrongPassword('tttttttt', 'tttttttt')).toBe(false);
    expect(isStrongPassword('tarek', 'tttttttt')).toBe(true);
    expect(isStrongPassword('cafécafécafé', 'cafécafécafé')).toBe(false);
  });

  it('counts UTF-8 bytes, ignores case and surrounding space, refuses null', () => {
    expect(isStrongPassword('bob', 'ααα')).toBe(false);
    expect(isStrongPassword('bob', 'αααα')).toBe(true);
    expect(isStrongPassword('TarekTarek', ' tarektarek ')).toBe(false);
    expect(isStrongPassword('bob', null)).toBe(false);
  });
});

/**
 * One way of storing a password. `verify` resolves `'malformed'` when the stored string carries
 * this scheme's tag but its body cannot be read, so that callers can log it apart from a wrong
 * password.
 */
export interface PasswordScheme {
  /** Name accepted by `hashPassword(password, scheme)`: `scrypt`, `ssha`, ... */
  readonly name: string;
  /** Legacy schemes are only verified; a successful login replaces them. */
  readonly legacy: boolean;
  /** True when the stored string is tagged with this scheme (its body may still be broken). */
  recognises(stored: string): boolean;
  /** True when the stored string is tagged with this scheme and its body can be read. */
  wellFormed(stored: string): boolean;
  /** Absent for schemes that are only ever verified (`{SHA}` has no salt). */
  hash?(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<VerifyOutcome>;
  needsRehash(stored: string): boolean;
}

/** The outcome of checking one password against one stored string. */
export type VerifyOutcome = boolean | 'malformed';

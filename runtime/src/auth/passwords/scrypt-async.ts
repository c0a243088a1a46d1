import { scrypt, type ScryptOptions } from 'node:crypto';

/** crypto.scrypt as a promise. It runs on the libuv pool; the sync variant would block requests. */
export function scryptAsync(
  password: string | Buffer,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Memory scrypt needs is about 128 * N * r bytes; Node refuses anything over `maxmem` (32 MiB by
 * default, which N=2^15, r=8 already reaches). The limit is set from the parameters, with room for
 * Node's own accounting.
 */
export function scryptMaxmem(cost: number, blockSize: number): number {
  return 128 * cost * blockSize * 2;
}

import { randomInt } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An 8-character salt from `[0-9a-zA-Z]`, as the legacy stack wrote them. */
export function legacySalt(): Buffer {
  let salt = '';
  for (let index = 0; index < 8; index += 1) salt += alphabet[randomInt(alphabet.length)];
  return Buffer.from(salt, 'ascii');
}

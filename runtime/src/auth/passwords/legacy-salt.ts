import { randomInt } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An 8-character salt from `[0-9a-zA-Z]`, as the legacy stack wrote them. */
export function legacySalt(): Buffer {
  let salt = '';
  for (let index = 0; index < 8; index += 1) salt += alphabet[randomInt(alphabet.length)];
  return Buffer.from(salt, 'ascii');
}

/**
 * Splits a `{TAG}base64` string into its tag-free body bytes, or `undefined` when the tag is not
 * `tag` or the body is not canonical base64. RFC 2307 tags are case-insensitive (OpenLDAP reads
 * `{ssha}` as `{SSHA}`), so the comparison ignores case.
 */
export function taggedBody(stored: string, tag: string): string | undefined {
  if (stored.length < tag.length || stored.slice(0, tag.length).toUpperCase() !== tag) {
    return undefined;
  }
  return stored.slice(tag.length);
}

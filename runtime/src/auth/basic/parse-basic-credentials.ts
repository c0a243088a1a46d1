import { decodeStrictBase64 } from '../passwords/strict-base64.js';

/** Why a header could not be read as Basic credentials. */
export type BasicParseFailure =
  | { reason: 'unknown-scheme' }
  | { reason: 'bad-encoding' }
  | { reason: 'user-not-utf8' }
  | { reason: 'password-not-utf8'; username: string };

export type BasicParseResult =
  { ok: true; username: string; password: string } | ({ ok: false } & BasicParseFailure);

// RFC 9110 §11.1: auth-scheme is a token; §11.4: credentials = auth-scheme [ 1*SP token68 ].
const credentialsPattern = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/s;
const token68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads an `Authorization` value as RFC 7617 Basic credentials. The scheme name is matched without
 * regard to case; the token must be canonical base64 (standard alphabet, padding required), so one
 * credential has one spelling. Both halves are decoded as UTF-8 with a fatal decoder (§2.1,
 * charset="UTF-8"): invalid bytes are refused, never replaced by U+FFFD, so two different byte
 * strings can never become one password. The split is at the first colon, since §2 says a
 * user-id cannot contain one.
 */
export function parseBasicCredentials(header: string): BasicParseResult {
  const match = credentialsPattern.exec(header);
  if (!match) return { ok: false, reason: 'bad-encoding' };
  if (match[1]!.toLowerCase() !== 'basic') return { ok: false, reason: 'unknown-scheme' };

  // token68, canonical base64
  const token = match[2] ?? '';
  const bytes = token68.test(token) ? decodeStrictBase64(token) : undefined;
  if (!bytes) return { ok: false, reason: 'bad-encoding' };
  const colon = bytes.indexOf(0x3a);
  if (colon === -1) return { ok: false, reason: 'bad-encoding' };

  // user-id and password, each strictly UTF-8
  const username = decodeUtf8(bytes.subarray(0, colon));
  if (username === undefined) return { ok: false, reason: 'user-not-utf8' };
  const password = decodeUtf8(bytes.subarray(colon + 1));
  if (password === undefined) return { ok: false, reason: 'password-not-utf8', username };
  return { ok: true, username, password };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    // ignoreBOM keeps a leading U+FEFF as part of the text instead of silently dropping it
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

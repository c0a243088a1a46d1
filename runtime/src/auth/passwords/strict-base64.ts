const standardBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const unpaddedBase64 = /^[A-Za-z0-9+/]*$/;

/**
 * Decodes canonical base64 (standard alphabet, padding required), or returns `undefined`.
 * Buffer.from() silently skips characters it does not know, so the text is checked first and the
 * result re-encoded: only one spelling of any byte string is accepted.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!standardBase64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** The same for the unpadded base64 of PHC strings. */
export function decodeUnpaddedBase64(text: string): Buffer | undefined {
  if (!unpaddedBase64.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return encodeUnpaddedBase64(bytes) === text ? bytes : undefined;
}

export function encodeUnpaddedBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

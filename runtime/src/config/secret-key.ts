const SECRET_KEY = /password|passwd|secret|key|token|credential|salt|pwd/i;

/**
 * True when a key's name says its value is a secret: it contains password, passwd, secret, key,
 * token, credential, salt or pwd, in any case. Such values are masked on the debug page and never
 * quoted in a configuration error.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

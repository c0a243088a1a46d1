import type { Config } from '../../config/config.js';
import { ConfigError } from '../../errors/config-error.js';

/** The default `[auth] username_pattern`. */
const defaultUsernamePattern = '^[a-zA-Z0-9._@+-]{1,256}$';

/**
 * True when the text holds a C0 control, DEL or a C1 control: never part of a user name or a
 * header value, whatever a pattern allows (NUL truncates C strings, CR and LF split log lines).
 */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Compiles `[auth] username_pattern` (a JavaScript regular expression, with the `u` flag so that
 * `\p{L}` and astral characters work). A pattern that does not compile is a `ConfigError`.
 */
export function readUsernamePattern(config: Config): RegExp {
  const source = config.getString('auth', 'username_pattern', defaultUsernamePattern);
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    throw new ConfigError(
      'SVC_ERR_AUTH_BAD_PATTERN',
      `[auth] username_pattern is not a valid regular expression: ${(error as Error).message}`,
      config.locate('auth', 'username_pattern'),
      { cause: error },
    );
  }
}

/** True when a user name has no control characters and matches the pattern. */
export function isAcceptableUsername(pattern: RegExp, username: string): boolean {
  return !hasControlCharacter(username) && pattern.test(username);
}

import type { Config } from '../../config/config.js';
import { ConfigError } from '../../errors/config-error.js';

/** The default `[auth] username_pattern`. */
export const defaultUsernamePattern = '^[a-zA-Z0-9._@+-]{1,256}$';

// C0 controls, DEL and C1 controls: never part of a user name, whatever the pattern allows
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

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
  return !controlCharacters.test(username) && pattern.test(username);
}

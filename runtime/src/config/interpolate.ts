import type { ConfigLocation } from './config.js';
import { configErrorAt } from './config-error-at.js';

/** The environment variables `${NAME}` reads; `process.env` by default. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

export interface InterpolateOptions {
  env: ConfigEnv;
  /** What `%(here)s` becomes: the directory of the file holding the value. */
  here: string;
  location: ConfigLocation;
}

export interface Interpolated {
  text: string;
  /** Whether a `${...}` reference was replaced, so that the caller can type the result. */
  substituted: boolean;
}

const HERE = '%(here)s';
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces every `${NAME}` and `${NAME:-default}` in a bare value, and `%(here)s`, in a single
 * left-to-right pass, so that text coming from a variable is never scanned again. `$${` is a
 * literal `${`, and `$NAME` without braces stays as written. The default is literal text up to the
 * first `}`; it is used when the variable is unset or empty. An unset variable without a default,
 * an empty or malformed name and an unclosed `${` are ConfigErrors at the value's line.
 */
export function interpolate(text: string, options: InterpolateOptions): Interpolated {
  if (!text.includes('$') && !text.includes(HERE)) return { text, substituted: false };
  const parts: string[] = [];
  let substituted = false;
  let chunk = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x24 && text.startsWith('$${', index)) {
      parts.push(text.slice(chunk, index), '${');
      index += 3;
      chunk = index;
    } else if (code === 0x24 && text.charCodeAt(index + 1) === 0x7b) {
      const close = text.indexOf('}', index + 2);
      if (close === -1) throw referenceError(text.slice(index), 'has no closing "}"', options);
      parts.push(text.slice(chunk, index), resolve(text.slice(index + 2, close), options));
      substituted = true;
      index = close + 1;
      chunk = index;
    } else if (code === 0x25 && text.startsWith(HERE, index)) {
      parts.push(text.slice(chunk, index), options.here);
      index += HERE.length;
      chunk = index;
    } else {
      index++;
    }
  }
  parts.push(text.slice(chunk));
  return { text: parts.join(''), substituted };
}

function resolve(reference: string, options: InterpolateOptions): string {
  const marker = reference.indexOf(':-');
  const name = marker === -1 ? reference : reference.slice(0, marker);
  if (!NAME_PATTERN.test(name)) {
    throw referenceError(`\${${reference}}`, 'needs a variable name such as ${PORT}', options);
  }
  const value = Object.hasOwn(options.env, name) ? options.env[name] : undefined;
  if (marker !== -1)
    return value === undefined || value === '' ? reference.slice(marker + 2) : value;
  if (value === undefined) {
    throw configErrorAt(
      'SVC_ERR_CONFIG_UNSET_VARIABLE',
      `environment variable ${name} is not set (write \${${name}:-default} to give it a default)`,
      options.location,
    );
  }
  return value;
}

function referenceError(reference: string, problem: string, options: InterpolateOptions): Error {
  const shown = reference.length > 60 ? `${reference.slice(0, 60)}...` : reference;
  return configErrorAt(
    'SVC_ERR_CONFIG_BAD_VARIABLE',
    `the reference ${JSON.stringify(shown)} ${problem}`,
    options.location,
  );
}

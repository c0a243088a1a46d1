import { readFileSync } from 'node:fs';
import type { ConfigErrorLocation } from '../errors/config-error.js';
import { configErrorAt } from './config-error-at.js';

/** Which code a failed read raises, and where: the main file, or the `extends` line naming it. */
export interface ReadFailure {
  missingCode: string;
  unreadableCode: string;
  location: ConfigErrorLocation;
  /** How the message names the file. */
  describe: string;
}

/** Reads a configuration file as UTF-8, turning a file-system failure into a ConfigError. */
export function readConfigFile(path: string, failure: ReadFailure): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw configErrorAt(
        failure.missingCode,
        `${failure.describe} ${JSON.stringify(path)} was not found`,
        failure.location,
        error,
      );
    }
    throw configErrorAt(
      failure.unreadableCode,
      `${failure.describe} ${JSON.stringify(path)} cannot be read (${code ?? String(error)})`,
      failure.location,
      error,
    );
  }
}

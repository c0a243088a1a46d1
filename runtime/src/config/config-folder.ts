import { dirname, resolve } from 'node:path';

/**
 * The absolute folder that relative paths written in a configuration are taken from: the folder
 * of the file holding them, or the working directory for text that came from no file.
 */
export function configFolder(file: string | undefined): string {
  return file === undefined ? process.cwd() : dirname(resolve(file));
}

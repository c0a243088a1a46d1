import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes several files as one change: every new content goes to a temporary file beside its
 * destination first, and only when all of them are on disk are they renamed into place. A failed
 * write removes the temporary files and changes nothing. The whole step is synchronous, so a
 * signal handler (which runs between event-loop turns) sees either none of the change or all of
 * it; a file is never half-written, because each rename replaces it in one step. A replaced file
 * keeps its permission bits.
 */
export function writeChangeSet(changes: ReadonlyMap<string, string>): void {
  const pending: Array<[temporary: string, destination: string]> = [];
  try {
    for (const [destination, content] of changes) {
      const temporary = `${destination}.creating-${process.pid}`;
      mkdirSync(dirname(destination), { recursive: true });
      pending.push([temporary, destination]);
      const mode = existsSync(destination) ? statSync(destination).mode & 0o7777 : 0o666;
      writeFileSync(temporary, content, { mode });
    }
  } catch (error) {
    for (const [temporary] of pending) rmSync(temporary, { force: true });
    throw error;
  }
  for (const [temporary, destination] of pending) renameSync(temporary, destination);
}

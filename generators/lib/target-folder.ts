import { lstatSync, readdirSync } from 'node:fs';
import { GeneratorError } from './generator-error.js';

/**
 * Entries a folder may hold and still count as empty: what an editor, a file manager or an
 * earlier `git init` leaves behind. The generator writes none of them.
 */
const harmlessEntries = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode', 'LICENSE']);

/** What is in the way of writing into `target`, before anything is asked or written. */
export interface TargetState {
  exists: boolean;
  /** Entries other than the harmless ones, sorted. */
  conflicts: string[];
}

export function inspectTarget(target: string): TargetState {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return { exists: false, conflicts: [] };
  }
  if (stats.isSymbolicLink()) {
    throw new GeneratorError(
      'GEN_ERR_TARGET_UNSAFE',
      `${target} is a symbolic link; pass the folder it points to, or another folder`,
    );
  }
  if (!stats.isDirectory()) {
    throw new GeneratorError('GEN_ERR_TARGET_UNSAFE', `${target} exists and is not a folder`);
  }
  const conflicts = readdirSync(target)
    .filter((entry) => !harmlessEntries.has(entry))
    .sort();
  return { exists: true, conflicts };
}

/**
 * Refuses a folder that holds files unless `force` is set, naming the folder and what is in it,
 * so that nothing a user wrote is replaced without being asked for.
 */
export function checkTarget(target: string, shown: string, force: boolean): TargetState {
  const state = inspectTarget(target);
  if (state.conflicts.length > 0 && !force) {
    const listed = state.conflicts.slice(0, 5).join(', ');
    const more = state.conflicts.length > 5 ? ` and ${state.conflicts.length - 5} more` : '';
    throw new GeneratorError(
      'GEN_ERR_TARGET_NOT_EMPTY',
      `the folder ${shown} is not empty (${listed}${more}); choose another folder, or pass --force to write into it`,
    );
  }
  return state;
}

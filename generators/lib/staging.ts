import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { markPlaced, onInterrupt } from './interrupt.js';

/**
 * A folder beside the target where the new project is written, installed and committed, then
 * renamed into place in one step. Until that rename the target is untouched, so an interrupted
 * or failed run leaves the disk as it was (the staging folder is removed on the way out).
 */
export class StagingFolder {
  readonly path: string;
  readonly target: string;
  readonly #unregister: () => void;

  constructor(target: string) {
    this.target = target;
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true });
    this.path = join(parent, `.${basename(target)}.creating-${process.pid}`);
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(this.path);
    this.#unregister = onInterrupt(() => this.discard());
  }

  /**
   * Moves the finished project to the target. An absent or empty target is replaced by a single
   * rename; a target that already holds files (`--force`, or a `.git` kept from before) receives
   * the project entry by entry, replacing files of the same name.
   */
  promote(): void {
    if (!existsSync(this.target)) {
      renameSync(this.path, this.target);
    } else if (readdirSync(this.target).length === 0) {
      rmdirSync(this.target);
      renameSync(this.path, this.target);
    } else {
      mergeInto(this.path, this.target);
      rmSync(this.path, { recursive: true, force: true });
    }
    this.#unregister();
    markPlaced(this.target);
  }

  /** Removes the staging folder and everything in it. */
  discard(): void {
    rmSync(this.path, { recursive: true, force: true });
    this.#unregister();
  }
}

function mergeInto(source: string, destination: string): void {
  for (const entry of readdirSync(source)) {
    const from = join(source, entry);
    const to = join(destination, entry);
    if (existsSync(to) && statSync(to).isDirectory() && statSync(from).isDirectory()) {
      mergeInto(from, to);
    } else {
      rmSync(to, { recursive: true, force: true });
      renameSync(from, to);
    }
  }
}

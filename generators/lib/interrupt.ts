type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let placed: string | undefined;

/**
 * Registers work that must run if the process is interrupted (removing a half-written staging
 * folder, stopping an install). Returns the function that unregisters it once the work it guards
 * has finished. The handlers are synchronous because a signal handler cannot wait.
 */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Runs every registered cleanup, newest first, once; errors are ignored so that all of them run. */
export function runInterruptCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // one failed cleanup must not stop the others; the process is ending anyway
    }
  }
}

/**
 * Records that the run's result is complete and in place at `shown`, so that an interrupt
 * arriving afterwards (while the summary prints, say) reports that instead of an untouched disk.
 */
export function markPlaced(shown: string): void {
  placed = shown;
}

/** What an interrupt leaves behind, in words: nothing, or a result that was already complete. */
export function interruptedMessage(): string {
  return placed === undefined
    ? 'interrupted; the target folder was left as it was'
    : `interrupted after ${placed} was complete; it is in place`;
}

export interface RespawnLimits {
  /** Delay before the first replacement of a crashed worker. Default 100 ms. */
  initialDelayMs?: number;
  /** The delay doubles on each crash in a row, up to this. Default 10 s. */
  maxDelayMs?: number;
  /** Workers in a row that exit before listening, after which the service stops. Default 5. */
  startupFailureLimit?: number;
  /** A worker that has listened this long resets its slot's back-off. Default 10 s. */
  stableAfterMs?: number;
}

export type RespawnDecision =
  { action: 'replace'; delayMs: number } | { action: 'give-up'; startupFailures: number };

interface Slot {
  crashes: number;
  listenedAt: number | undefined;
}

/**
 * Decides how a cluster primary reacts to a worker that exited without being asked to. Each slot
 * (worker position) backs off on its own: 100 ms, 200 ms, 400 ms ... up to 10 s, so a worker that
 * dies on every request cannot turn into a fork storm, and the back-off resets once a replacement
 * has stayed up. Workers that die before they ever listen point at a start-up error (a bad config,
 * a missing module): after a few in a row, anywhere in the cluster, the service gives up.
 */
export class RespawnPolicy {
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #startupFailureLimit: number;
  readonly #stableAfterMs: number;
  readonly #slots = new Map<number, Slot>();
  #startupFailures = 0;

  constructor(limits: RespawnLimits = {}) {
    this.#initialDelayMs = limits.initialDelayMs ?? 100;
    this.#maxDelayMs = limits.maxDelayMs ?? 10_000;
    this.#startupFailureLimit = limits.startupFailureLimit ?? 5;
    this.#stableAfterMs = limits.stableAfterMs ?? 10_000;
  }

  /** The worker in `slot` is listening: start-up works again. */
  listened(slot: number, now: number): void {
    this.#startupFailures = 0;
    this.#slot(slot).listenedAt = now;
  }

  /** The worker in `slot` exited unasked; `listened` says whether it ever served. */
  exited(slot: number, listened: boolean, now: number): RespawnDecision {
    const state = this.#slot(slot);
    if (
      listened &&
      state.listenedAt !== undefined &&
      now - state.listenedAt >= this.#stableAfterMs
    ) {
      state.crashes = 0;
    }
    state.listenedAt = undefined;

    if (!listened) {
      this.#startupFailures++;
      if (this.#startupFailures >= this.#startupFailureLimit) {
        return { action: 'give-up', startupFailures: this.#startupFailures };
      }
    }

    const delayMs = Math.min(this.#initialDelayMs * 2 ** state.crashes, this.#maxDelayMs);
    state.crashes++;
    return { action: 'replace', delayMs };
  }

  #slot(slot: number): Slot {
    let state = this.#slots.get(slot);
    if (!state) {
      state = { crashes: 0, listenedAt: undefined };
      this.#slots.set(slot, state);
    }
    return state;
  }
}

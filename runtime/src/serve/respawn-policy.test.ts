import { describe, expect, it } from 'vitest';
import { RespawnPolicy } from './respawn-policy.js';

describe('RespawnPolicy', () => {
  it('backs off from 100 ms, doubling up to 10 s, for a worker that keeps crashing', () => {
    const policy = new RespawnPolicy();
    const delays: number[] = [];
    for (let crash = 0; crash < 9; crash++) {
      policy.listened(0, crash);
      const decision = policy.exited(0, true, crash + 1);
      if (decision.action === 'replace') delays.push(decision.delayMs);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it('starts the back-off again once a worker has stayed up', () => {
    const policy = new RespawnPolicy({ stableAfterMs: 10_000 });
    policy.listened(0, 0);
    policy.exited(0, true, 1);
    policy.listened(0, 1000);
    expect(policy.exited(0, true, 2000)).toEqual({ action: 'replace', delayMs: 200 });
    policy.listened(0, 3000);
    expect(policy.exited(0, true, 13_000)).toEqual({ action: 'replace', delayMs: 100 });
  });

  it('backs off each slot on its own', () => {
    const policy = new RespawnPolicy();
    policy.listened(0, 0);
    policy.exited(0, true, 1);
    policy.listened(0, 2);
    policy.exited(0, true, 3);
    policy.listened(1, 4);
    expect(policy.exited(1, true, 5)).toEqual({ action: 'replace', delayMs: 100 });
  });

  it('gives up after five workers in a row exit before listening', () => {
    const policy = new RespawnPolicy();
    const decisions = [0, 1, 0, 1, 0].map((slot, index) => policy.exited(slot, false, index));
    expect(decisions.slice(0, 4).every((decision) => decision.action === 'replace')).toBe(true);
    expect(decisions[4]).toEqual({ action: 'give-up', startupFailures: 5 });
  });

  it('forgets start-up failures once any worker listens', () => {
    const policy = new RespawnPolicy({ startupFailureLimit: 3 });
    policy.exited(0, false, 0);
    policy.exited(0, false, 1);
    policy.listened(1, 2);
    expect(policy.exited(0, false, 3).action).toBe('replace');
    expect(policy.exited(0, false, 4).action).toBe('replace');
    expect(policy.exited(0, false, 5).action).toBe('give-up');
  });
});

/**
 * When an idle process is read again (its stat and signal masks): never later
 * than the period after its last read, and a thousand processes read in the
 * same sample are not all read again in one later sample.
 */
import { describe, expect, it } from 'vitest';
import { idleRefreshDue } from './sampler';

describe('idleRefreshDue', () => {
  it('is due once the period has passed, whatever the pid', () => {
    for (const pid of [1, 2, 999, 4_194_304]) {
      expect(idleRefreshDue(pid, 5000, 6000, 1000)).toBe(true);
      expect(idleRefreshDue(pid, 5000, 5000, 1000)).toBe(false);
    }
  });

  it('spreads a thousand processes read together over the period, each read again within it', () => {
    const period = 1000;
    const tick = 1000 / 30;
    const pids = Array.from({ length: 1000 }, (_, i) => 40_000 + i);
    const at = new Map(pids.map((pid) => [pid, 0]));
    let most = 0;
    for (let now = tick; now < 10 * period; now += tick) {
      let due = 0;
      for (const pid of pids) {
        if (!idleRefreshDue(pid, at.get(pid)!, now, period)) continue;
        // never more than one period (and the tick that crossed it) since the last read
        expect(now - at.get(pid)!).toBeLessThanOrEqual(period + tick);
        at.set(pid, now);
        due++;
      }
      most = Math.max(most, due);
    }
    // ~33 a tick on average; all 1000 at once is what this avoids
    expect(most).toBeLessThan(150);
  });
});

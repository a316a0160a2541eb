/** Kernel-side checks shared by the actor, lesson and session tests (they read /proc directly). */
import { readdirSync, readlinkSync } from 'node:fs';

/** "pid/fd" of every descriptor on the machine whose link is `target` (e.g. "pipe:[4614]"). */
export function holdersOf(target: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) found.push(`${pid}/${fd}`);
      } catch {
        /* closed in between */
      }
    }
  }
  return found;
}

/* the reaper's own check: a test asks "still there?" the way the engine does */
export { processExists as alive } from './reaper';

export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

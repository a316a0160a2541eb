/** Kernel-side checks shared by the session and lesson tests (read /proc directly). */
import { readdirSync, readlinkSync } from 'node:fs';
import type { Frame } from '../model/frame-types';
import type { Session } from './session';

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

export function alive(pid: number): boolean {
  try {
    readdirSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Collects every frame a session emits. */
export function recordFrames(session: Session): { frames: Frame[]; last: () => Frame; stop: () => void } {
  const frames: Frame[] = [];
  const stop = session.onFrame((frame) => frames.push(frame));
  return {
    frames,
    last: () => {
      const frame = frames.at(-1);
      if (!frame) throw new Error('no frame yet');
      return frame;
    },
    stop,
  };
}

export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

import { readFileSync } from 'node:fs';
import type { Frame } from '../../native-bridge/model/frame-types';

/**
 * Last line of defence when the engine's utility process dies without
 * disposing its session (crash, OOM kill): its actors are then orphans,
 * reparented to init, which reaps them once they die. Main remembers each
 * lesson process from the frames, with its start time from /proc/PID/stat,
 * and SIGKILLs those still alive with the same start time (a recycled PID
 * belongs to someone else and is left alone).
 */
export class ActorSweep {
  /** pid -> starttime (field 22 of /proc/PID/stat, clock ticks since boot) */
  private readonly known = new Map<number, string>();

  note(frame: Frame): void {
    const roles = frame.lesson?.roles ?? {};
    const current = new Set(Object.values(roles).filter((pid) => Number.isInteger(pid) && pid > 1));
    for (const pid of this.known.keys()) if (!current.has(pid)) this.known.delete(pid);
    for (const pid of current) {
      if (this.known.has(pid)) continue;
      const started = startTime(pid);
      if (started !== null) this.known.set(pid, started);
    }
  }

  /** Kills the remembered processes that are still the same processes; returns their pids. */
  sweep(): number[] {
    const killed: number[] = [];
    for (const [pid, started] of this.known) {
      if (pid === process.pid || startTime(pid) !== started) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        /* ESRCH: it ended by itself in between */
      }
    }
    this.known.clear();
    return killed;
  }
}

/** starttime of a live process, or null when gone or a zombie (nothing left to kill). */
export function startTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  /* comm may hold spaces and parentheses: fields are counted after the LAST ')' */
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  /* fields[0] is field 3 (state); starttime is field 22 */
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? null;
}

/**
 * Killing and reaping actors so nothing is left behind.
 *
 * On this machine PID 1 does not reap orphans: a child actor whose parent
 * actor is killed would stay a zombie forever. The engine therefore makes
 * itself a child subreaper (PR_SET_CHILD_SUBREAPER): orphaned descendants are
 * reparented to the engine, which reaps the ones it spawned by pid. Side
 * effect, documented for lessons about orphans: an orphaned lesson process
 * shows the engine as its new parent (as under a desktop's `systemd --user`).
 */
import { existsSync } from 'node:fs';
import { parseStat } from '../probe/process/proc-stat';
import { ECHILD } from '../libc/errno';
import { killQuietly, waitpidNoHang, waitpidBlocking } from './reaper-libc';
import { actorNative, PR_SET_CHILD_SUBREAPER } from './actor-libc';
import { ProcReadError, readProcFile } from './proc-read';

let subreaper = false;

export function becomeSubreaper(): void {
  if (subreaper) return;
  actorNative.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  subreaper = true;
}

export function processExists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** PPid from /proc/PID/stat, null when the process is gone; throws ProcReadError when no descriptor is free. */
export function parentOf(pid: number): number | null {
  const stat = readProcFile(`/proc/${pid}/stat`);
  return stat === null ? null : (parseStat(stat)?.ppid ?? null);
}

/**
 * The pids that are still processes we started: their parent is one of them
 * or the engine (after reparenting). A pid already reaped by a lesson's own
 * waitpid may have been reused by someone else: that one is left alone.
 */
export function stillOurs(pids: number[]): number[] {
  const family = new Set([process.pid, ...pids]);
  return pids.filter((pid) => {
    let ppid: number | null;
    try {
      ppid = parentOf(pid);
    } catch (err) {
      /* no descriptor free to read /proc: still one of ours as far as we know (kill + waitpid need none) */
      if (err instanceof ProcReadError) return processExists(pid);
      throw err;
    }
    return ppid !== null && family.has(ppid);
  });
}

/**
 * Kills `pids` (SIGKILL) and waits until each is reaped, by us or by its
 * parent; after `timeoutMs` it stops waiting for the ones still there.
 */
export async function killAndReap(pids: number[], timeoutMs = 5000): Promise<void> {
  for (const pid of pids) killQuietly(pid);
  const deadline = Date.now() + timeoutMs;
  let left = [...pids];
  while (left.length > 0 && Date.now() < deadline) {
    left = left.filter((pid) => {
      const reaped = waitpidNoHang(pid);
      if (reaped === pid) return false;
      /* ECHILD: not (yet) ours; gone once /proc/PID disappears */
      if (reaped === -ECHILD) return processExists(pid);
      return true;
    });
    if (left.length > 0) await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Synchronous version for the engine's 'exit' handler: `pids` ordered parents
 * first. Waiting on a parent makes its children ours (subreaper) before we
 * wait on them.
 */
export function killAndReapSync(all: number[]): void {
  const pids = stillOurs(all);
  for (const pid of pids) killQuietly(pid);
  for (const pid of pids) {
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      const reaped = waitpidBlocking(pid);
      if (reaped === pid || !processExists(pid)) break;
    }
  }
}

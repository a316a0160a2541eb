import { existsSync, readFileSync } from 'node:fs';

/**
 * What the kernel says about a process, read straight from /proc: the e2e
 * test checks the page against these, never against the engine's own words.
 */

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** State letter after the last ")" of /proc/PID/stat, or null when gone. */
export function procState(pid: number): string | null {
  const stat = readProc(pid, 'stat');
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

function procPpid(pid: number): number | null {
  const stat = readProc(pid, 'stat');
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

/** Kernel function the main thread sleeps in, e.g. "anon_pipe_read" (KERNEL-FACTS). */
export function procWchan(pid: number): string | null {
  return readProc(pid, 'wchan');
}

/** Live: /proc/PID exists and is not a zombie. */
export function isLive(pid: number): boolean {
  const state = procState(pid);
  return state !== null && state !== 'Z' && state !== 'X';
}

export function exists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** True when `pid` is `ancestor` or descends from it. */
export function descendsFrom(pid: number, ancestor: number): boolean {
  let current: number | null = pid;
  for (let hops = 0; current !== null && current > 1 && hops < 64; hops += 1) {
    if (current === ancestor) return true;
    current = procPpid(current);
  }
  return false;
}

/** /proc/PID/syscall: number and first argument (the fd for read/write). */
export function procSyscallArgs(pid: number): { nr: number; arg0: number } | null {
  const text = readProc(pid, 'syscall');
  if (text === null) return null;
  const [nr, arg0] = text.trim().split(' ');
  if (nr === undefined || arg0 === undefined || !/^\d+$/.test(nr)) return null;
  return { nr: Number(nr), arg0: Number(BigInt(arg0)) };
}

/** starttime (field 22 of /proc/PID/stat, clock ticks since boot): with the pid, names one process for good. */
export function procStartTime(pid: number): number | null {
  const stat = readProc(pid, 'stat');
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[19]);
}

/**
 * Cleanup after a failed test: SIGKILL each process that is still the very
 * one seen during the test (same pid and start time), never a reused pid.
 */
export function killIfStillSame(seen: Map<number, number>): void {
  for (const [pid, start] of seen) {
    if (procStartTime(pid) === start) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** Waits until no process of `seen` is still the very one seen (same pid and start time); throws after `timeoutMs`. */
export async function waitAllGone(seen: Map<number, number>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ([...seen].some(([pid, start]) => exists(pid) && procStartTime(pid) === start)) {
    if (Date.now() > deadline) throw new Error(`${what} left after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

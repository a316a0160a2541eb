/**
 * Which PIDs a snapshot covers: a list, a list and its descendants, or every
 * process. Descendants come from /proc/PID/task/TID/children (one small read
 * per process in the tree) with a fallback to reading every stat.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { listDirectory, readSmallFile } from './process/fast-fs';
import { parseStat } from './process/proc-stat';

/**
 * proc_pid_readdir leaves f_pos at PID_MAX_LIMIT + TGID_OFFSET (4194304 + 258
 * on 64-bit) after the last process, and at pid + 258 when it stops early
 * (buffer full, signal pending): no pid entry can reach the end mark.
 */
const PROC_LISTING_END = 4194304 + 258;
export const procListingEnd = (offset: number): boolean => offset >= PROC_LISTING_END;

export function listAllPids(): number[] {
  const pids: number[] = [];
  for (const name of listDirectory('/proc', procListingEnd) ?? []) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const pid = Number(name);
    if (Number.isInteger(pid)) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}

/**
 * The last PID the kernel handed out in our PID namespace: the fifth field of
 * /proc/loadavg (idr_get_cursor of the namespace's pid idr, minus one). Every
 * new process and thread moves it, even when PIDs wrap; null when unreadable.
 */
export function lastPidCreated(): string | null {
  const text = readSmallFile('/proc/loadavg');
  if (text === null) return null;
  const field = text.trim().split(' ')[4];
  return field === undefined || field === '' ? null : field;
}

/**
 * Every process, listed again only when a PID was handed out since the last
 * listing. A process cannot appear (nor a PID be reused) without the kernel
 * allocating a PID, which moves lastPidCreated(); one that exited is still in
 * the list until then, and the caller finds it gone (it reads nothing for
 * it). One small read instead of a getdents64 walk of /proc (~1.5 ms for 1100
 * processes here), every tick of a whole-machine watch. Assumes /proc shows
 * our own PID namespace, as it does unless a foreign procfs is mounted there.
 */
export class AllPids {
  private cursor: string | null = null;
  private pids: number[] = [];
  /** The last PID handed out by the end of the latest listing (NaN: unknown). */
  private covered = Number.NaN;
  /** The PIDs handed out between the two latest list() calls, (from, to] cyclically; null: unknown, any may be new. */
  private handedOut: { from: number; to: number } | null = null;

  list(): number[] {
    const cursor = lastPidCreated();
    if (cursor === null || cursor !== this.cursor) {
      this.pids = listAllPids();
      // read again after the listing: a PID handed out while it ran is in this range, or in the next one
      const after = Number(lastPidCreated() ?? Number.NaN);
      this.handedOut = Number.isNaN(this.covered) || Number.isNaN(after) ? null : { from: this.covered, to: after };
      this.covered = cursor === null ? Number.NaN : after;
      this.cursor = cursor;
    } else {
      this.handedOut = { from: this.covered, to: this.covered };
    }
    return this.pids.slice();
  }

  /**
   * Whether `pid` may have been handed out (to a new process, or to a new
   * process reusing it) between the two latest list() calls. The kernel hands
   * PIDs out cyclically (idr_alloc_cyclic): every PID handed out lies between
   * the cursor before and the cursor after, going round past pid_max. Going
   * all the way round between two samples a tick apart would take millions of
   * forks; a caller that waited long re-reads everything anyway.
   */
  mayBeNew(pid: number): boolean {
    const range = this.handedOut;
    if (range === null) return true;
    if (range.from === range.to) return false;
    return range.from < range.to ? pid > range.from && pid <= range.to : pid > range.from || pid <= range.to;
  }

  forget(): void {
    this.cursor = null;
    this.covered = Number.NaN;
  }
}

function childrenOf(pid: number): number[] | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && tid === String(pid)) return null; // no CONFIG_PROC_CHILDREN
      continue;
    }
    for (const part of text.split(' ')) if (part) children.push(Number(part));
  }
  return children;
}

function descendantsByStat(roots: number[]): number[] {
  const byParent = new Map<number, number[]>();
  for (const pid of listAllPids()) {
    try {
      const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      if (!stat) continue;
      const list = byParent.get(stat.ppid) ?? [];
      list.push(pid);
      byParent.set(stat.ppid, list);
    } catch {
      // exited while we looked
    }
  }
  const out = new Set(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      if (!out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  return [...out];
}

/** The roots and all their descendants, roots first. */
export function withDescendants(roots: number[]): number[] {
  const out = new Set(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const children = childrenOf(pid);
    if (children === null) return descendantsByStat(roots);
    for (const child of children) {
      if (!out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  return [...out];
}

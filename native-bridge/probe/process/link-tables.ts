/**
 * Every other process's descriptor links (what the holder search looks
 * through), read in passes a budget at a time. A pass lists every process,
 * keeps the tables of those that have not run since they were read (their
 * CPU clock reads the same: a process that has not run cannot have opened,
 * closed or received a descriptor; another process duplicating one with
 * pidfd_getfd leaves the table as it is) and queues the others, oldest PID
 * first, with the tables the scope's new processes wait for (wantTables)
 * ahead of them. Each sample reads from the queue until its ReadBudget is
 * spent (at least one table); what a pass has read is published when the
 * queue is empty, or once it has spent PUBLISH_READ_MS reading, so that a
 * thousand tables read over many samples rebuild what depends on them (the
 * holders index over ~500,000 descriptors, the probes) a few times, not at
 * every sample: a publication costs about as much as 100 ms of reading.
 * Until then a sample shows the published tables and counts the rest.
 */
import { EACCES } from '../../libc/errno';
import { lastErrno, native } from '../../libc/libc';
import { processCpuNs } from '../../libc/cpu-clock';
import { accessFromLinkMode } from './fd-table';
import { listOpenDirectory, lstatModeAt, openDirectory, readLinkAt } from './fast-fs';
import { ownDescriptors } from './own-descriptors';
import type { Access } from '../../model/snapshot-types';
import { listAllPids } from '../scope';
import type { ReadBudget } from './table-budget';

export interface Link {
  fd: number;
  target: string;
  /** Read (lstat of the link) with the table for pipes; for other targets the first time the target is wanted. */
  access?: Access | null;
}

export interface LinkTable {
  /** CPU time when the links were read: unchanged means the table is too. */
  cpuNs: number;
  links: Link[];
  /** False when the listing stopped short (EACCES): not the whole table. */
  complete: boolean;
}

interface Pass {
  /** Time (ms) spent reading tables so far. */
  readMs: number;
  /** PIDs whose tables are to be read, in order, and how many were taken. */
  queue: number[];
  taken: number;
  /** Every PID the pass covers (queued or kept). */
  members: Set<number>;
  next: Map<number, LinkTable>;
}

/** A pass that has read tables this long (ms) publishes them and leaves the rest to the next. */
export const PUBLISH_READ_MS = 400;

export class OtherLinkTables {
  private tables = new Map<number, LinkTable>();
  private pass: Pass | null = null;
  /** Processes of the scope whose first scan waits for the search to read their table. */
  private wanted = new Set<number>();
  /** Tables of processes outside the scope queued and not read at the last publication (the next pass reads them). */
  private left = 0;
  /** Bumped at every publication: an answer walked from older tables is out of date. */
  version = 0;
  /** The sample (its `now`) that last read from the queue, and the one that last published. */
  private advancedAt = NaN;
  private publishedAt = NaN;

  /** The scope's processes whose tables the next passes should read (the Sampler's deferred first scans). */
  wantTables(pids: ReadonlySet<number>): void {
    this.wanted = new Set(pids);
  }

  /** Whether tables are still to be read: a pass under way or processes left over from the last. */
  get behind(): boolean {
    return this.pass !== null || this.left > 0;
  }

  /** Processes outside `scanned` whose tables the published ones lack (read by the pass under way or not yet). */
  unpublishedOutside(scanned: ReadonlySet<number>): number {
    if (!this.pass) return this.left;
    let count = 0;
    for (const pid of this.pass.queue) if (!scanned.has(pid)) count++;
    return count;
  }

  /**
   * Brings the tables up to date within `budget`, once per sample (`now`):
   * starts a pass when none is under way, reads from its queue, publishes.
   * Returns whether this call published.
   */
  refresh(scanned: ReadonlySet<number>, budget: ReadBudget, now: number): boolean {
    if (this.advancedAt === now) return false;
    this.advancedAt = now;
    const pass = (this.pass ??= this.startPass(scanned));
    for (const pid of this.wanted) {
      if (pass.members.has(pid)) continue;
      pass.members.add(pid);
      pass.queue.push(pid);
    }
    let read = 0;
    while (pass.taken < pass.queue.length && (read === 0 || !budget.spent())) {
      const pid = pass.queue[pass.taken++]!;
      if (scanned.has(pid) && !this.wanted.has(pid)) continue;
      const since = performance.now();
      const table = readTable(pid);
      budget.charge(since);
      pass.readMs += performance.now() - since;
      if (table) pass.next.set(pid, table);
      read++;
    }
    const done = pass.taken >= pass.queue.length;
    if (!done && pass.readMs < PUBLISH_READ_MS) return false;
    this.tables = pass.next;
    // the scope's own leftovers are the Sampler's to count (unread first scans): these are the others
    this.left = pass.queue.slice(pass.taken).filter((pid) => !scanned.has(pid)).length;
    this.pass = null;
    this.version++;
    this.publishedAt = now;
    return true;
  }

  /** Whether the sample at `now` published. */
  publishedIn(now: number): boolean {
    return this.publishedAt === now;
  }

  /** The published tables of processes outside `scanned`. */
  *others(scanned: ReadonlySet<number>): Iterable<[number, LinkTable]> {
    for (const entry of this.tables) if (!scanned.has(entry[0])) yield entry;
  }

  /** Whether the published tables hold one for `pid`. */
  has(pid: number): boolean {
    return this.tables.has(pid);
  }

  /**
   * The links of `pid` as a pass read them, when its CPU clock still reads
   * `cpuNs` (it has not run since) and they are its whole table; else null.
   * A Sampler's first scan of a process takes them instead of reading every
   * descriptor again: pool workers found by the search while their parent
   * started them join the lesson's scope moments later.
   * (The caller has found it off a CPU before reading `cpuNs`: see Sampler.invalidate.)
   */
  linksIfUnchanged(pid: number, cpuNs: number): readonly Link[] | null {
    const table = this.tables.get(pid);
    return table && table.complete && table.cpuNs === cpuNs && pid !== process.pid ? table.links : null;
  }

  private startPass(scanned: ReadonlySet<number>): Pass {
    const pass: Pass = { readMs: 0, queue: [], taken: 0, members: new Set(), next: new Map() };
    const later: number[] = [];
    for (const pid of listAllPids()) {
      const wanted = this.wanted.has(pid);
      if (scanned.has(pid) && !wanted) continue;
      pass.members.add(pid);
      // this process runs at every search (it is the one searching): its table is read each time, by fstat
      if (pid === process.pid) {
        const own = ownDescriptors();
        pass.next.set(pid, own ? { cpuNs: -1, links: own, complete: true } : { cpuNs: -1, ...readLinks(pid) });
        continue;
      }
      const known = this.tables.get(pid);
      if (known && known.cpuNs === processCpuNs(pid)) pass.next.set(pid, known);
      else if (wanted) pass.queue.push(pid);
      else later.push(pid);
    }
    pass.queue.push(...later);
    return pass;
  }
}

/** A process's table with its CPU clock read first; null when it is gone. */
function readTable(pid: number): LinkTable | null {
  const cpuNs = processCpuNs(pid);
  return cpuNs === null ? null : { cpuNs, ...readLinks(pid) };
}

export function readLinks(pid: number): { links: Link[]; complete: boolean } {
  const dirfd = openDirectory(`/proc/${pid}/fd`);
  if (dirfd < 0) return { links: [], complete: false };
  try {
    const links: Link[] = [];
    for (const name of listOpenDirectory(dirfd)) {
      const target = readLinkAt(dirfd, name);
      if (target !== null) links.push(pipeAccess(dirfd, name, target));
      // EACCES is the ptrace access check, the same for every descriptor of the
      // process (a service of another user lists hundreds): the rest would fail too.
      else if (lastErrno() === EACCES) return { links, complete: false };
    }
    return { links, complete: true };
  } finally {
    native.close(dirfd);
  }
}

/** A link, with a pipe's access read at once (its lstat counted in the pass's budget, not in the walk). */
function pipeAccess(dirfd: number, name: string, target: string): Link {
  const link: Link = { fd: Number(name), target };
  if (target.startsWith('pipe:[')) {
    const mode = lstatModeAt(dirfd, name);
    link.access = mode === null ? null : accessFromLinkMode(mode);
  }
  return link;
}

/** The access mode of descriptor `fd`, from the link's mode in the held /proc/PID/fd (`dirfd`); null when unreadable or closed. */
export function readAccess(dirfd: number, fd: number): Access | null {
  if (dirfd < 0) return null;
  const mode = lstatModeAt(dirfd, String(fd));
  return mode === null ? null : accessFromLinkMode(mode);
}

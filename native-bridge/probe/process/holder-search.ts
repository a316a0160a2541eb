/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened).
 */
import { EACCES } from '../../libc/errno';
import { lastErrno, native } from '../../libc/libc';
import { processCpuNs } from '../../libc/cpu-clock';
import { accessFromLinkMode } from './fd-table';
import { listOpenDirectory, lstatModeAt, openDirectory, readLinkAt } from './fast-fs';
import { ownDescriptors } from './own-descriptors';
import type { Access, Holder } from '../../model/snapshot-types';
import { listAllPids } from '../scope';

interface Link {
  fd: number;
  target: string;
  /** Read (lstat of the link) the first time the target is wanted. */
  access?: Access | null;
}

interface LinkTable {
  /** CPU time when the links were read: unchanged means the table is too. */
  cpuNs: number;
  links: Link[];
  /** False when the listing stopped short (EACCES): not the whole table. */
  complete: boolean;
}

/**
 * Every other process's descriptor links, re-read only for processes that
 * have been on a CPU since they were last read: a process that has not run
 * cannot have opened, closed or received a descriptor. (Another process
 * duplicating one with pidfd_getfd leaves this table as it is.)
 */
export class OtherLinkTables {
  private tables = new Map<number, LinkTable>();

  /** Holders outside `scanned` of the descriptor targets in `wanted` ("pipe:[12]"), by target. */
  find(wanted: ReadonlySet<string>, scanned: ReadonlySet<number>): Map<string, Holder[]> {
    const found = new Map<string, Holder[]>();
    if (wanted.size === 0) return found;
    const next = new Map<number, LinkTable>();
    for (const pid of listAllPids()) {
      if (scanned.has(pid)) continue;
      const table = this.tableOf(pid);
      if (!table) continue;
      next.set(pid, table);
      // one open of /proc/PID/fd for every access still unknown (a new worker's hundreds of inherited write ends)
      let dirfd: number | null = null;
      try {
        for (const link of table.links) {
          if (!wanted.has(link.target)) continue;
          if (link.access === undefined) {
            dirfd ??= openDirectory(`/proc/${pid}/fd`);
            link.access = readAccess(dirfd, link.fd);
          }
          if (!link.access) continue;
          const list = found.get(link.target);
          if (list) list.push({ pid, fd: link.fd, access: link.access });
          else found.set(link.target, [{ pid, fd: link.fd, access: link.access }]);
        }
      } finally {
        if (dirfd !== null && dirfd >= 0) native.close(dirfd);
      }
    }
    this.tables = next;
    return found;
  }

  /** Whether the latest search read `pid`'s links. */
  has(pid: number): boolean {
    return this.tables.has(pid);
  }

  /**
   * The links of `pid` as the latest search read them, when its CPU clock
   * still reads `cpuNs` (it has not run since) and they are its whole table;
   * else null. A Sampler's first scan of a process takes them instead of
   * reading every descriptor again: pool workers found by the search while
   * their parent started them join the lesson's scope moments later.
   * (The caller has found it off a CPU before reading `cpuNs`: see Sampler.invalidate.)
   */
  linksIfUnchanged(pid: number, cpuNs: number): readonly Link[] | null {
    const table = this.tables.get(pid);
    return table && table.complete && table.cpuNs === cpuNs && pid !== process.pid ? table.links : null;
  }

  private tableOf(pid: number): LinkTable | null {
    // this process runs at every search (it is the one searching): its table is read each time, by fstat
    if (pid === process.pid) {
      const own = ownDescriptors();
      return own ? { cpuNs: -1, links: own, complete: true } : { cpuNs: -1, ...readLinks(pid) };
    }
    const cpuNs = processCpuNs(pid);
    if (cpuNs === null) return null;
    const known = this.tables.get(pid);
    if (known?.cpuNs === cpuNs) return known;
    return { cpuNs, ...readLinks(pid) };
  }
}

function readLinks(pid: number): { links: Link[]; complete: boolean } {
  const dirfd = openDirectory(`/proc/${pid}/fd`);
  if (dirfd < 0) return { links: [], complete: false };
  try {
    const links: Link[] = [];
    for (const name of listOpenDirectory(dirfd)) {
      const target = readLinkAt(dirfd, name);
      if (target !== null) links.push({ fd: Number(name), target });
      // EACCES is the ptrace access check, the same for every descriptor of the
      // process (a service of another user lists hundreds): the rest would fail too.
      else if (lastErrno() === EACCES) return { links, complete: false };
    }
    return { links, complete: true };
  } finally {
    native.close(dirfd);
  }
}

/** The access mode of descriptor `fd`, from the link's mode in the held /proc/PID/fd (`dirfd`); null when unreadable or closed. */
function readAccess(dirfd: number, fd: number): Access | null {
  if (dirfd < 0) return null;
  const mode = lstatModeAt(dirfd, String(fd));
  return mode === null ? null : accessFromLinkMode(mode);
}

const NOTHING_WANTED: ReadonlyMap<string, Holder[]> = new Map();

/**
 * Remembers the last search so a Sampler ticking at 60 Hz does not walk every
 * process's descriptors on every tick: the search runs again when asked
 * targets appear that were not searched for, or after `refreshMs`.
 */
export class OtherHolderCache {
  private searched = new Set<string>();
  private found = new Map<string, Holder[]>();
  private at = -Infinity;

  constructor(
    private readonly refreshMs: number,
    private readonly tables: OtherLinkTables = new OtherLinkTables(),
  ) {}

  /**
   * The holders found by the latest search: the same Map object until a
   * search finds something else, so a caller can tell an unchanged answer by
   * identity (a Sampler then keeps its holders index, and the pipe probe its
   * grouping: with a thousand pipes each held by hundreds of processes,
   * rebuilding them every refresh cost more than the search itself).
   */
  lookup(wanted: ReadonlySet<string>, scanned: Set<number>, now: number): ReadonlyMap<string, Holder[]> {
    if (wanted.size === 0) return NOTHING_WANTED;
    if (now - this.at >= this.refreshMs || !this.searchedAll(wanted)) {
      const found = this.tables.find(wanted, scanned);
      if (!sameHolders(found, this.found)) this.found = found;
      this.searched = new Set(wanted);
      this.at = now;
    }
    return this.found;
  }

  private searchedAll(wanted: ReadonlySet<string>): boolean {
    for (const target of wanted) if (!this.searched.has(target)) return false;
    return true;
  }

  clear(): void {
    this.at = -Infinity;
  }
}

/** Whether two answers name the same holders (pid, fd, access) of the same targets, in the same order. */
function sameHolders(a: ReadonlyMap<string, Holder[]>, b: ReadonlyMap<string, Holder[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [target, holders] of a) {
    const other = b.get(target);
    if (!other || other.length !== holders.length) return false;
    for (let i = 0; i < holders.length; i++) {
      const x = holders[i]!;
      const y = other[i]!;
      if (x.pid !== y.pid || x.fd !== y.fd || x.access !== y.access) return false;
    }
  }
  return true;
}

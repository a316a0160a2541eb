/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened). The links are read in passes a budget at a
 * time (link-tables.ts); an answer is walked from the published tables.
 */
import { native } from '../../libc/libc';
import { openDirectory } from './fast-fs';
import type { Holder } from '../../model/snapshot-types';
import { OtherLinkTables, readAccess, type LinkTable } from './link-tables';
import { UNLIMITED, type ReadBudget } from './table-budget';

export { OtherLinkTables } from './link-tables';

/** Holders in `tables` of the descriptor targets in `wanted` ("pipe:[12]"), by target; an access still unknown is read now. */
export function walkHolders(tables: Iterable<[number, LinkTable]>, wanted: ReadonlySet<string>): Map<string, Holder[]> {
  const found = new Map<string, Holder[]>();
  if (wanted.size === 0) return found;
  for (const [pid, table] of tables) {
    // one open of /proc/PID/fd for every access still unknown
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
  return found;
}

/** Every other process's holders of `wanted`, all tables read now (a one-off search). */
export function findOtherHolders(wanted: ReadonlySet<string>, scanned: ReadonlySet<number>): Map<string, Holder[]> {
  const tables = new OtherLinkTables();
  tables.refresh(scanned, UNLIMITED, performance.now());
  return walkHolders(tables.others(scanned), wanted);
}

const NOTHING_WANTED: ReadonlyMap<string, Holder[]> = new Map();

/**
 * Remembers the last search so a Sampler ticking at 60 Hz does not walk every
 * process's descriptors on every tick: the search runs again when asked
 * targets appear that were not searched for, or after `refreshMs`, and goes
 * on at every lookup while its tables are behind (a pass under way).
 */
export class OtherHolderCache {
  private searched = new Set<string>();
  private found = new Map<string, Holder[]>();
  private at = -Infinity;
  /** The tables' version the answer was walked from. */
  private walked = -1;

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
  lookup(wanted: ReadonlySet<string>, scanned: Set<number>, now: number, budget: ReadBudget = UNLIMITED): ReadonlyMap<string, Holder[]> {
    if (wanted.size === 0) return NOTHING_WANTED;
    const tables = this.tables;
    if (now - this.at >= this.refreshMs || !this.searchedAll(wanted) || tables.behind || tables.version !== this.walked) {
      // a pass another cache of this Sampler advanced in this sample is not advanced again
      tables.refresh(scanned, budget, now);
      // while a pass is under way, targets new since the last walk wait for its publication (a table
      // read before a target existed holds it only if its process ran since: it is read again)
      if (tables.version !== this.walked || (!tables.behind && !this.searchedAll(wanted))) {
        const found = walkHolders(tables.others(scanned), wanted);
        if (!sameHolders(found, this.found)) this.found = found;
        this.searched = new Set(wanted);
        this.walked = tables.version;
      }
      // the refresh clock restarts only once every table is read
      if (!tables.behind) this.at = now;
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

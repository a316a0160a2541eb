/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened).
 */
import { accessFromLinkMode } from './fd-table';
import { listDirectory, lstatMode, readLink } from './fast-fs';
import type { Holder } from '../model/snapshot-types';
import { listAllPids } from './scope';

/** Holders outside `scanned` of the descriptor targets in `wanted` ("pipe:[12]"), by target. */
export function findOtherHolders(wanted: ReadonlySet<string>, scanned: Set<number>): Map<string, Holder[]> {
  const found = new Map<string, Holder[]>();
  if (wanted.size === 0) return found;
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    const dir = `/proc/${pid}/fd`;
    for (const name of listDirectory(dir) ?? []) {
      const link = `${dir}/${name}`;
      const target = readLink(link);
      if (target === null) continue;
      if (!wanted.has(target)) continue;
      const mode = lstatMode(link);
      if (mode === null) continue;
      const list = found.get(target) ?? [];
      list.push({ pid, fd: Number(name), access: accessFromLinkMode(mode) });
      found.set(target, list);
    }
  }
  return found;
}

/**
 * Remembers the last search so a Sampler ticking at 60 Hz does not walk every
 * process's descriptors on every tick: the search runs again when asked
 * targets appear that were not searched for, or after `refreshMs`.
 */
export class OtherHolderCache {
  private searched = new Set<string>();
  private found = new Map<string, Holder[]>();
  private at = -Infinity;

  constructor(private readonly refreshMs: number) {}

  lookup(wanted: ReadonlySet<string>, scanned: Set<number>, now: number): Map<string, Holder[]> {
    if (wanted.size === 0) return new Map();
    const stale = now - this.at >= this.refreshMs || [...wanted].some((target) => !this.searched.has(target));
    if (stale) {
      this.found = findOtherHolders(wanted, scanned);
      this.searched = new Set(wanted);
      this.at = now;
    }
    return this.found;
  }

  clear(): void {
    this.at = -Infinity;
  }
}

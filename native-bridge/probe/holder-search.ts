/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened).
 */
import { accessFromLinkMode } from './fd-table';
import { listDirectory, lstatMode, readLink } from './fast-fs';
import type { HolderRef } from './probe-types';
import { listAllPids } from './scope';

/** Holders outside `scanned` of the targets in `wanted`, by target. */
export function findOtherHolders(wanted: Map<string, HolderRef[]>, scanned: Set<number>): Map<string, HolderRef[]> {
  const found = new Map<string, HolderRef[]>();
  if (wanted.size === 0) return found;
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    const dir = `/proc/${pid}/fd`;
    for (const name of listDirectory(dir) ?? []) {
      const link = `${dir}/${name}`;
      const target = readLink(link);
      if (target === null) continue;
      const template = wanted.get(target)?.[0]?.scanned;
      if (!template) continue;
      const mode = lstatMode(link);
      if (mode === null) continue;
      const fd = Number(name);
      const access = accessFromLinkMode(mode);
      const list = found.get(target) ?? [];
      list.push({ pid, fd, access, scanned: { ...template, fd, target, access } });
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
  private found = new Map<string, HolderRef[]>();
  private at = -Infinity;

  constructor(private readonly refreshMs: number) {}

  lookup(wanted: Map<string, HolderRef[]>, scanned: Set<number>, now: number): Map<string, HolderRef[]> {
    const stale = now - this.at >= this.refreshMs || [...wanted.keys()].some((target) => !this.searched.has(target));
    if (stale) {
      this.found = findOtherHolders(wanted, scanned);
      this.searched = new Set(wanted.keys());
      this.at = now;
    }
    return this.found;
  }

  clear(): void {
    this.at = -Infinity;
  }
}

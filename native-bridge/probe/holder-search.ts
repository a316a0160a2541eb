/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened).
 */
import { listDirectory, lstatMode, readLink } from './fast-fs';
import { accessFromLinkMode } from './fd-table';
import type { HolderRef, ScannedFd } from './probe-types';
import { listAllPids } from './scope';

export function findOtherHolders(wanted: Map<string, HolderRef[]>, scanned: Set<number>): void {
  if (wanted.size === 0) return;
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    const dir = `/proc/${pid}/fd`;
    for (const name of listDirectory(dir) ?? []) {
      const link = `${dir}/${name}`;
      const target = readLink(link);
      if (target === null) continue;
      const holders = wanted.get(target);
      if (!holders || holders.length === 0) continue;
      const mode = lstatMode(link);
      if (mode === null) continue;
      const fd = Number(name);
      const template = holders[0]!.scanned;
      const scannedFd: ScannedFd = { ...template, fd, target, access: accessFromLinkMode(mode) };
      holders.push({ pid, fd, access: scannedFd.access, scanned: scannedFd });
    }
  }
}

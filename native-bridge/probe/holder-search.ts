/**
 * For a snapshot of a few PIDs: finds the other holders of the objects those
 * PIDs hold (the far end of a pipe, the peer process of a socket), by reading
 * only the descriptor links of every other process (readlink + lstat for the
 * matches: no file is opened).
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { accessFromLinkMode } from './fd-table';
import type { HolderRef, ScannedFd } from './probe-types';
import { listAllPids } from './scope';

export function findOtherHolders(wanted: Map<string, HolderRef[]>, scanned: Set<number>): void {
  if (wanted.size === 0) return;
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    const dir = `/proc/${pid}/fd`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const link = `${dir}/${name}`;
      let target: string;
      try {
        target = readlinkSync(link);
      } catch {
        continue;
      }
      const holders = wanted.get(target);
      if (!holders || holders.length === 0) continue;
      let mode: number;
      try {
        mode = lstatSync(link).mode;
      } catch {
        continue;
      }
      const fd = Number(name);
      const template = holders[0]!.scanned;
      const scannedFd: ScannedFd = { ...template, fd, target, access: accessFromLinkMode(mode) };
      holders.push({ pid, fd, access: scannedFd.access, scanned: scannedFd });
    }
  }
}

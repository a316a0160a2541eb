/** Sameness checks a Sampler uses to keep what it built from one tick to the next. */
import { pipeReadingOf } from './kinds/pipes/pipe-reading';
import type { ScannedFd } from './probe-types';

/* Every field of a ScannedFd (a new one fails to compile until it is named here): what two reads must agree on. */
const SCANNED_FD_FIELDS: Record<keyof ScannedFd, true> = { fd: true, target: true, inode: true, access: true, fileType: true, dev: true };
const FD_FIELD_NAMES = Object.keys(SCANNED_FD_FIELDS) as Array<keyof ScannedFd>;

/** True when two reads of a descriptor table found the same descriptors, every field alike. */
export function sameDescriptors(a: readonly ScannedFd[], b: readonly ScannedFd[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (const field of FD_FIELD_NAMES) if (x[field] !== y[field]) return false;
    // a whole-machine scan's pipe reading belongs to that scan
    if (pipeReadingOf(x) !== undefined || pipeReadingOf(y) !== undefined) return false;
  }
  return true;
}

/** True when `pids` are, in order, the keys of `processes`. */
export function sameKeys(pids: number[], processes: Map<number, unknown>): boolean {
  if (pids.length !== processes.size) return false;
  let i = 0;
  for (const pid of processes.keys()) if (pids[i++] !== pid) return false;
  return true;
}

/**
 * A pipe's fill and capacity as a whole-machine scan measured them, carried
 * on the read end's scanned descriptor from the scan (scan-share.ts, in any
 * thread) to PipeProbe, which then need not borrow that pipe again.
 */
import { F_GETPIPE_SZ, FIONREAD, native } from '../../../libc/libc';
import type { ScannedFd } from '../../probe-types';

/** FIONREAD and F_GETPIPE_SZ through one read end: null where the borrow or the call failed. */
export interface PipeReading {
  capacity: number | null;
  queued: number | null;
}

const fionread = new Int32Array(1);

/** Capacity (F_GETPIPE_SZ) and fill (FIONREAD) through a descriptor of the pipe: a borrowed read end. */
export function readPipeFill(fd: number): PipeReading {
  const capacity = native.fcntlInt(fd, F_GETPIPE_SZ, 0);
  return {
    capacity: capacity > 0 ? capacity : null,
    queued: native.ioctlInt(fd, FIONREAD, fionread) === 0 ? fionread[0]! : null,
  };
}

/** A scanned descriptor, with `pipeReading` on the read end that was measured. */
export type ReadScannedFd = ScannedFd & { pipeReading?: PipeReading };

export function pipeReadingOf(fd: ScannedFd): PipeReading | undefined {
  return (fd as ReadScannedFd).pipeReading;
}

/** The object a descriptor reaches when it is a pipe or FIFO, keyed as PipeProbe groups them; else null. */
export function pipeKey(fd: ScannedFd): string | null {
  if (fd.inode === null) return null;
  if (fd.target.startsWith('pipe:[')) return `pipe:${fd.inode}`;
  return fd.fileType === 'fifo' ? `fifo:${fd.inode}` : null;
}

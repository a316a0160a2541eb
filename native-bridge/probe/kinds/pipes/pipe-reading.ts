/**
 * A pipe's fill and capacity as a whole-machine scan measured them, carried
 * on the read end's scanned descriptor from the scan (scan-share.ts, in any
 * thread) to PipeProbe, which then need not borrow that pipe again.
 */
import { F_GETPIPE_SZ, FIONREAD, native } from '../../../libc/libc';
import type { ScannedFd } from '../../probe-types';

/** FIONREAD, F_GETPIPE_SZ and poll() through one end: null where the borrow or the call failed. */
export interface PipeReading {
  capacity: number | null;
  queued: number | null;
  /**
   * poll()'s revents for the borrowed end, asked for no event: the kernel
   * still reports POLLHUP on a read end when no write end is open anywhere,
   * and POLLERR on a write end when no read end is (pipe_poll). That is the
   * kernel's own count (pipe->writers, pipe->readers), which also covers
   * ends no descriptor table we read lists (see PipeObject.hiddenWriters).
   */
  revents: number | null;
}

/* poll(2) bits (asm-generic/poll.h) */
export const POLLERR = 0x8;
export const POLLHUP = 0x10;

const fionread = new Int32Array(1);
/* struct pollfd { int fd; short events; short revents; } */
const pollfd = new Uint8Array(8);
const pollView = new DataView(pollfd.buffer);

/** revents of `fd` polled without waiting and for no event (only POLLHUP, POLLERR, POLLNVAL can come back); null when poll failed. */
function pollNow(fd: number): number | null {
  pollView.setInt32(0, fd, true);
  pollView.setInt32(4, 0, true);
  return native.poll(pollfd, 1, 0) < 0 ? null : pollView.getInt16(6, true);
}

/** Capacity (F_GETPIPE_SZ), fill (FIONREAD) and hang-up/error (poll) through a borrowed descriptor of the pipe. */
export function readPipeFill(fd: number): PipeReading {
  const capacity = native.fcntlInt(fd, F_GETPIPE_SZ, 0);
  return {
    capacity: capacity > 0 ? capacity : null,
    queued: native.ioctlInt(fd, FIONREAD, fionread) === 0 ? fionread[0]! : null,
    revents: pollNow(fd),
  };
}

/** What a borrow that failed read: nothing. */
export const UNREAD_PIPE: PipeReading = { capacity: null, queued: null, revents: null };

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

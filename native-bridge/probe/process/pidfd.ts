/**
 * Borrowing another process's descriptor for a few microseconds.
 * pidfd_getfd (438) returns a duplicate that shares the open file description:
 * it adds no reader or writer, unlike reopening /proc/PID/fd/N. Holding it
 * still delays EOF/EPIPE, so every duplicate is closed before `use` returns.
 */
import { native, SYS_PIDFD_GETFD, SYS_PIDFD_OPEN } from '../../libc/libc';
import type { HeldProcTable } from './held-proc-table';
import { holdForReading, releaseForReading } from './own-descriptors';

/** Runs `use` on a duplicate of `pid`'s descriptor `fd` and closes it; null when it cannot be borrowed. */
export type DescriptorBorrower = <T>(pid: number, fd: number, use: (dup: number) => T) => T | null;

/** A borrow that opens (and closes) its own pidfd: for one-off reads outside a Sampler. */
export const borrowOnce: DescriptorBorrower = (pid, fd, use) => {
  const table = new PidfdTable();
  try {
    return table.borrow(pid, fd, use);
  } finally {
    table.close();
  }
};

export class PidfdTable {
  private readonly pidfds = new Map<number, number>();

  /** A pidfd for `pid`, opened once and kept (a pidfd does not affect the process). */
  pidfd(pid: number): number | null {
    const known = this.pidfds.get(pid);
    if (known !== undefined) return known;
    const fd = native.pidfdOpen(SYS_PIDFD_OPEN, pid, 0);
    if (fd < 0) return null;
    holdForReading(fd);
    this.pidfds.set(pid, fd);
    return fd;
  }

  /** Runs `use` on a duplicate of `pid`'s descriptor `targetFd`; null when it cannot be borrowed. */
  borrow<T>(pid: number, targetFd: number, use: (fd: number) => T): T | null {
    const pidfd = this.pidfd(pid);
    return pidfd === null ? null : borrowThrough(pidfd, targetFd, use);
  }

  /** Closes pidfds of processes not in `alive`. */
  retain(alive: Set<number>): void {
    for (const [pid, fd] of this.pidfds) {
      if (!alive.has(pid)) {
        releaseForReading(fd);
        native.close(fd);
        this.pidfds.delete(pid);
      }
    }
  }

  close(): void {
    for (const fd of this.pidfds.values()) {
      releaseForReading(fd);
      native.close(fd);
    }
    this.pidfds.clear();
  }
}

function borrowThrough<T>(pidfd: number, targetFd: number, use: (fd: number) => T): T | null {
  const dup = native.pidfdGetfd(SYS_PIDFD_GETFD, pidfd, targetFd, 0);
  if (dup < 0) return null;
  try {
    return use(dup);
  } finally {
    native.close(dup);
  }
}

/**
 * Borrows through the pidfd a HeldProcTable keeps for `pid` (opened here the
 * first time; closed by the table's owner), or through one opened for this
 * borrow alone when the table has no room for it.
 */
export function borrowThroughTable<T>(table: HeldProcTable, pid: number, targetFd: number, use: (fd: number) => T): T | null {
  const held = table.get(pid, 'pidfd');
  if (held >= 0) return borrowThrough(held, targetFd, use);
  const pidfd = native.pidfdOpen(SYS_PIDFD_OPEN, pid, 0);
  if (pidfd < 0) return null;
  const kept = table.hold(pid, 'pidfd', pidfd);
  try {
    return borrowThrough(pidfd, targetFd, use);
  } finally {
    if (!kept) native.close(pidfd);
  }
}

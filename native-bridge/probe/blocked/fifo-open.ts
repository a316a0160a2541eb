/**
 * A process waiting in open() for the other end of a FIFO holds no descriptor
 * yet: /proc/PID/fd does not name the FIFO. The path is the open's argument,
 * so it is read from the process's memory (/proc/PID/mem, ptrace access) and
 * stat'ed - never opened, which would release the waiter (KERNEL-FACTS).
 */
import { closeSync, openSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { intArg } from '../process/proc-stat';

/* x86_64 syscall numbers; wchan while waiting: wait_for_partner */
const SYS_OPEN = 2;
const SYS_OPENAT = 257;
const SYS_OPENAT2 = 437;
const AT_FDCWD = -100;
const PATH_MAX = 4096;

export interface FifoOpenTarget {
  path: string;
  inode: number;
}

export function isFifoOpenWait(nr: number, wchan: string): boolean {
  return (nr === SYS_OPEN || nr === SYS_OPENAT || nr === SYS_OPENAT2) && wchan === 'wait_for_partner';
}

/** Reads a NUL-terminated string at `address` in the process's memory. */
export function readProcessString(pid: number, address: bigint, max = PATH_MAX): string | null {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let at = address;
    while (total < max) {
      const toPageEnd = 4096 - Number(at % 4096n);
      const buf = Buffer.alloc(Math.min(toPageEnd, max - total));
      let got: number;
      try {
        got = readSync(fd, buf, 0, buf.length, at);
      } catch {
        break;
      }
      if (got <= 0) break;
      const nul = buf.indexOf(0);
      if (nul >= 0 && nul < got) {
        chunks.push(buf.subarray(0, nul));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(buf.subarray(0, got));
      total += got;
      at += BigInt(got);
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Resolves the FIFO a process is waiting to open, from its syscall arguments. */
export function resolveFifoOpen(pid: number, nr: number, args: bigint[]): FifoOpenTarget | null {
  let dirfd = AT_FDCWD;
  let pathArg: bigint | undefined;
  if (nr === SYS_OPEN) {
    pathArg = args[0];
  } else {
    dirfd = intArg(args[0] ?? 0n);
    pathArg = args[1];
  }
  if (pathArg === undefined || pathArg === 0n) return null;
  const raw = readProcessString(pid, pathArg);
  if (raw === null) return null;
  const base = raw.startsWith('/') ? '' : dirfd === AT_FDCWD ? `/proc/${pid}/cwd/` : `/proc/${pid}/fd/${dirfd}/`;
  try {
    const st = statSync(base + raw);
    return { path: canonicalPath(pid, base, raw, dirfd), inode: st.ino };
  } catch {
    return null;
  }
}

/** A path a process passed to a syscall, canonical: resolved against its cwd, symlinks followed. */
export function canonicalPathOf(pid: number, raw: string): string {
  return canonicalPath(pid, raw.startsWith('/') ? '' : `/proc/${pid}/cwd/`, raw, AT_FDCWD);
}

/**
 * The path as the kernel names the FIFO once it is open (the readlink of
 * /proc/PID/fd/N): whatever the program wrote (`./f`, `sub/../f`, `//f`),
 * resolved against its cwd or dirfd with symlinks followed. realpath() only
 * lstats and readlinks, it opens nothing (an open would release the waiter).
 */
function canonicalPath(pid: number, base: string, raw: string, dirfd: number): string {
  try {
    return realpathSync.native(base + raw);
  } catch {
    // the directory went away meanwhile: normalise the text as written
    const dir = raw.startsWith('/') ? '/' : readlinkOrNull(dirfd === AT_FDCWD ? `/proc/${pid}/cwd` : `/proc/${pid}/fd/${dirfd}`);
    return dir === null ? posix.normalize(raw) : posix.resolve(dir, raw);
  }
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

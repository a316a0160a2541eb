/**
 * A process blocked in connect() on a Unix listener whose backlog is full
 * (wchan unix_wait_for_peer, syscall 42, KERNEL-FACTS) holds only its own
 * unconnected socket: the listener it waits on is named by connect()'s
 * sockaddr argument, read from the caller's memory (/proc/PID/mem) as the
 * FIFO path of a blocked open() is (fifo-open.ts), and stat'ed - never opened.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { intArg } from '../process/proc-stat';
import { canonicalPathOf } from './fifo-open';

/* x86_64 */
const SYS_CONNECT = 42;
const AF_UNIX = 1;
/* sockaddr_un: sa_family_t (u16) then sun_path[108] */
const SOCKADDR_UN_BYTES = 110;

export interface UnixConnectTarget {
  /** The name as unix_diag shows it: a canonical path, or "@name" for an abstract one. */
  name: string;
  /** For a path: the bound socket file's inode and device (st_ino, st_dev), how the listener is matched. */
  inode: number | null;
  dev: number | null;
}

export function isUnixConnectWait(nr: number, wchan: string): boolean {
  return nr === SYS_CONNECT && wchan === 'unix_wait_for_peer';
}

/** Reads `length` bytes at `address` in the process's memory; null when it cannot (no ptrace access, unmapped). */
export function readProcessBytes(pid: number, address: bigint, length: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, address);
    return got === length ? buf : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The Unix address a process blocked in connect(fd, addr, addrlen) waits to reach; null for another family or when unreadable. */
export function resolveUnixConnect(pid: number, args: readonly bigint[]): UnixConnectTarget | null {
  const address = args[1];
  const addrlen = Math.min(intArg(args[2] ?? 0n), SOCKADDR_UN_BYTES);
  if (address === undefined || address === 0n || addrlen <= 2) return null;
  const bytes = readProcessBytes(pid, address, addrlen);
  if (!bytes || bytes.readUInt16LE(0) !== AF_UNIX) return null;
  const path = bytes.subarray(2);
  if (path[0] === 0) {
    // abstract: every byte of addrlen counts, NULs shown as "@" (as ss and unix_diag names are)
    return { name: path.toString('latin1').replace(/\0/g, '@'), inode: null, dev: null };
  }
  const nul = path.indexOf(0);
  const raw = path.subarray(0, nul < 0 ? path.length : nul).toString('utf8');
  const base = raw.startsWith('/') ? '' : `/proc/${pid}/cwd/`;
  try {
    const st = statSync(base + raw);
    return { name: canonicalPathOf(pid, raw), inode: st.ino, dev: st.dev };
  } catch {
    return { name: canonicalPathOf(pid, raw), inode: null, dev: null };
  }
}

/**
 * koffi bindings to the parts of libc every room of the engine needs:
 * descriptors, pipes, processes. Variadic libc functions (fcntl, ioctl,
 * syscall, open) are declared with fixed prototypes: cheaper, and exact on
 * x86_64 (KERNEL-FACTS: variadic fcntl ~750 ns, fixed ~410 ns).
 *
 * Mechanism-specific bindings live beside this file (sysv.ts, sockets.ts,
 * posix-ipc.ts) and load the library through `libc()`.
 */
import { readlinkSync } from 'node:fs';
import koffi, { type LibraryHandle } from 'koffi';
import { errnoName } from './errno';

let handle: LibraryHandle | null = null;

export function libc(): LibraryHandle {
  handle ??= koffi.load('libc.so.6');
  return handle;
}

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const O_DIRECTORY = 0o200000;
/* struct stat on x86_64 is 144 bytes; st_size is the s64 at offset 48 */
export const STAT_SIZE = 144;
export const STAT_ST_SIZE_OFFSET = 48;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const FD_CLOEXEC = 1;
/* F_GETPIPE_SZ / F_SETPIPE_SZ: 1032 / 1031 on Linux */
export const F_SETPIPE_SZ = 1031;
export const F_GETPIPE_SZ = 1032;
/* FIONREAD: 0x541B on x86_64 */
export const FIONREAD = 0x541b;
export const SPLICE_F_NONBLOCK = 2;
export const WNOHANG = 1;
export const SYS_PIDFD_OPEN = 434;
export const SYS_PIDFD_GETFD = 438;
/* (void *)-1: what mmap and shmat return on failure */
export const MAP_FAILED = 0xffffffffffffffffn;

const lib = libc();

export const native = {
  getpid: lib.func('int getpid()') as () => number,
  pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)') as (fds: Int32Array, flags: number) => number,
  close: lib.func('int close(int fd)') as (fd: number) => number,
  read: lib.func('long read(int fd, _Out_ uint8_t *buf, size_t count)') as (fd: number, buf: Uint8Array, count: number) => number,
  pread: lib.func('long pread(int fd, _Out_ uint8_t *buf, size_t count, long offset)') as (
    fd: number,
    buf: Uint8Array,
    count: number,
    offset: number,
  ) => number,
  write: lib.func('long write(int fd, const uint8_t *buf, size_t count)') as (fd: number, buf: Uint8Array, count: number) => number,
  open: lib.func('int open(const char *path, int flags, int mode)') as (path: string, flags: number, mode: number) => number,
  fcntlInt: lib.func('int fcntl(int fd, int cmd, int arg)') as (fd: number, cmd: number, arg: number) => number,
  ioctlInt: lib.func('int ioctl(int fd, unsigned long request, _Out_ int *value)') as (
    fd: number,
    request: number,
    value: Int32Array,
  ) => number,
  tee: lib.func('long tee(int fdIn, int fdOut, size_t len, unsigned int flags)') as (
    fdIn: number,
    fdOut: number,
    len: number,
    flags: number,
  ) => number,
  pidfdOpen: lib.func('long syscall(long nr, int pid, unsigned int flags)') as (nr: number, pid: number, flags: number) => number,
  pidfdGetfd: lib.func('long syscall(long nr, int pidfd, int targetfd, unsigned int flags)') as (
    nr: number,
    pidfd: number,
    targetFd: number,
    flags: number,
  ) => number,
  fstat: lib.func('int fstat(int fd, _Out_ uint8_t *statbuf)') as (fd: number, statbuf: Uint8Array) => number,
  kill: lib.func('int kill(int pid, int sig)') as (pid: number, sig: number) => number,
  waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)') as (pid: number, status: Int32Array, options: number) => number,
  mkfifo: lib.func('int mkfifo(const char *path, unsigned int mode)') as (path: string, mode: number) => number,
  unlink: lib.func('int unlink(const char *path)') as (path: string) => number,
  /* struct pollfd { int fd; short events; short revents; }: 8 bytes each */
  poll: lib.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)') as (fds: Uint8Array, nfds: number, timeout: number) => number,
};

/** The errno of the last failed call on this thread (koffi keeps it per call). */
export function lastErrno(): number {
  return koffi.errno();
}

export class SyscallError extends Error {
  override name = 'SyscallError';
  constructor(
    readonly syscall: string,
    readonly errno: number,
  ) {
    super(`${syscall} failed: ${errnoName(errno)}`);
  }
  get code(): string {
    return errnoName(this.errno);
  }
}

/** Throws a SyscallError naming the call when `result` is -1. */
export function check(syscall: string, result: number): number {
  if (result < 0) throw new SyscallError(syscall, lastErrno());
  return result;
}

/** pipe2(O_CLOEXEC): returns [readFd, writeFd]. */
export function makePipe(extraFlags = 0): [number, number] {
  const fds = new Int32Array(2);
  check('pipe2', native.pipe2(fds, O_CLOEXEC | extraFlags));
  return [fds[0]!, fds[1]!];
}

export function closeFd(fd: number): void {
  check('close', native.close(fd));
}

/** Inode of the pipe or socket behind a descriptor of this process ("pipe:[N]" / "socket:[N]" in /proc/self/fd), null when it is not one. */
export function selfFdInode(fd: number, kind: 'pipe' | 'socket'): number | null {
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
  const prefix = `${kind}:[`;
  if (!link.startsWith(prefix) || !link.endsWith(']')) return null;
  const inode = link.slice(prefix.length, -1);
  return /^\d+$/.test(inode) ? Number(inode) : null;
}

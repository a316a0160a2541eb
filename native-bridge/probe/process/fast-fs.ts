/**
 * The few file-system calls a whole-machine scan makes thousands of times,
 * straight into libc through koffi with buffers reused across calls: no
 * Stats objects, no exceptions for the common "process just exited" case.
 * (node:fs costs ~5 µs a readlink and ~7 µs a stat here; these ~1-2 µs.)
 */
import { libc, native, O_CLOEXEC, O_DIRECTORY, STAT_SIZE, STAT_ST_SIZE_OFFSET } from '../../libc/libc';

const lib = libc();
const statRaw = lib.func('int stat(const char *path, _Out_ uint8_t *buf)') as (path: string, buf: Uint8Array) => number;
const openatRaw = lib.func('int openat(int dirfd, const char *path, int flags, int mode)') as (
  dirfd: number,
  path: string,
  flags: number,
  mode: number,
) => number;
const readlinkatRaw = lib.func('long readlinkat(int dirfd, const char *path, _Out_ uint8_t *buf, size_t size)') as (
  dirfd: number,
  path: string,
  buf: Uint8Array,
  size: number,
) => number;
const fstatatRaw = lib.func('int fstatat(int dirfd, const char *path, _Out_ uint8_t *buf, int flags)') as (
  dirfd: number,
  path: string,
  buf: Uint8Array,
  flags: number,
) => number;
const AT_SYMLINK_NOFOLLOW = 0x100;
const lseekRaw = lib.func('long lseek(int fd, long offset, int whence)') as (fd: number, offset: number, whence: number) => number;
const SEEK_SET = 0;
/* getdents64 is syscall 217 on x86_64 */
const getdents64 = lib.func('long syscall(long nr, int fd, _Out_ uint8_t *buf, size_t size)') as (
  nr: number,
  fd: number,
  buf: Uint8Array,
  size: number,
) => number;
const SYS_GETDENTS64 = 217;

const linkBuffer = Buffer.alloc(4096);
const statBuffer = Buffer.alloc(STAT_SIZE);
const direntBuffer = Buffer.alloc(65536);
const fileBuffer = Buffer.alloc(65536);

export interface StatInfo {
  dev: number;
  inode: number;
  mode: number;
  size: number;
}

/* struct stat on x86_64: st_dev@0 u64, st_ino@8 u64, st_mode@24 u32, st_size@48 s64 */
function decodeStat(): StatInfo {
  return {
    dev: Number(statBuffer.readBigUInt64LE(0)),
    inode: Number(statBuffer.readBigUInt64LE(8)),
    mode: statBuffer.readUInt32LE(24),
    size: Number(statBuffer.readBigInt64LE(STAT_ST_SIZE_OFFSET)),
  };
}

/**
 * st_size of a path or an open descriptor, -1 when it cannot be had. For
 * /proc/PID/fd that is the number of open descriptors (Linux 6.2+).
 */
export function pathSize(path: string): number {
  return statRaw(path, statBuffer) === 0 ? Number(statBuffer.readBigInt64LE(STAT_ST_SIZE_OFFSET)) : -1;
}

export function openedSize(fd: number): number {
  return native.fstat(fd, statBuffer) === 0 ? Number(statBuffer.readBigInt64LE(STAT_ST_SIZE_OFFSET)) : -1;
}

/**
 * Calls relative to an open directory (/proc/PID, /proc/PID/fd) spare the
 * kernel the path walk to it on every file: a whole-machine scan makes
 * several per process and one or two per descriptor.
 */
export function openDirectory(path: string): number {
  return native.open(path, O_CLOEXEC | O_DIRECTORY, 0);
}

export function openDirectoryAt(dirfd: number, name: string): number {
  return openatRaw(dirfd, name, O_CLOEXEC | O_DIRECTORY, 0);
}

/** Opens a file read-only relative to `dirfd` (-100, AT_FDCWD, for a path); -1 with errno set on failure. */
export function openFileAt(dirfd: number, name: string): number {
  return openatRaw(dirfd, name, O_CLOEXEC, 0);
}

/** Back to a held directory's first entry before listing it again. */
export function rewindDirectory(fd: number): boolean {
  return lseekRaw(fd, 0, SEEK_SET) === 0;
}

export function readLinkAt(dirfd: number, name: string): string | null {
  const length = readlinkatRaw(dirfd, name, linkBuffer, linkBuffer.length);
  return length < 0 ? null : linkBuffer.toString('utf8', 0, length);
}

export function statAt(dirfd: number, name: string): StatInfo | null {
  return fstatatRaw(dirfd, name, statBuffer, 0) === 0 ? decodeStat() : null;
}

export function lstatModeAt(dirfd: number, name: string): number | null {
  return fstatatRaw(dirfd, name, statBuffer, AT_SYMLINK_NOFOLLOW) === 0 ? statBuffer.readUInt32LE(24) : null;
}

/**
 * How a directory shows that a getdents64 call returned its last entry: the
 * d_off the kernel leaves on the last entry returned (the directory's f_pos).
 * A short buffer alone does not prove it: filldir64 stops early, leaving room,
 * when a signal is pending (fs/readdir.c), and the next call goes on.
 */
export type ListingEnd = (lastOffset: number) => boolean;

/**
 * Entry names of an already open directory (read from its start). With `end`,
 * the getdents64 call that would return 0 is skipped once `end` says the last
 * entry was listed.
 */
export function listOpenDirectory(fd: number, end?: ListingEnd): string[] {
  const names: string[] = [];
  for (;;) {
    const length = getdents64(SYS_GETDENTS64, fd, direntBuffer, direntBuffer.length);
    if (length <= 0) break;
    // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    let lastAt = 0;
    for (let at = 0; at < length; ) {
      const reclen = direntBuffer.readUInt16LE(at + 16);
      const nameStart = at + 19;
      const name = direntBuffer.toString('latin1', nameStart, direntBuffer.indexOf(0, nameStart));
      if (name !== '.' && name !== '..') names.push(name);
      lastAt = at;
      at += reclen;
    }
    // d_off fits in 53 bits on procfs (pid or fd + a small offset)
    if (end && end(direntBuffer.readUInt32LE(lastAt + 8) + direntBuffer.readInt32LE(lastAt + 12) * 2 ** 32)) break;
  }
  return names;
}

/** Directory entry names (without "." and ".."), or null when it cannot be opened. */
export function listDirectory(path: string, end?: ListingEnd): string[] | null {
  const fd = openDirectory(path);
  if (fd < 0) return null;
  try {
    return listOpenDirectory(fd, end);
  } finally {
    native.close(fd);
  }
}

/**
 * /proc/PID files the kernel prints as one record (proc_single_show:
 * single_open): seq_read returns the whole record at once, so a read that
 * leaves room in the buffer has reached the end of the file. Multi-record
 * seq_files (maps, /proc/sysvipc/*) stop at each full kernel page (~4 KB) and
 * need reading until 0.
 */
const SINGLE_RECORD = new Set(['stat', 'status', 'wchan', 'syscall']);

/** A small file's whole text, opened relative to `dirfd`, or null. */
export function readFileAt(dirfd: number, name: string): string | null {
  return readOpened(openatRaw(dirfd, name, O_CLOEXEC, 0), SINGLE_RECORD.has(name));
}

/** A small file's whole text (latin1), or null when it cannot be read. */
export function readSmallFile(path: string): string | null {
  return readOpened(native.open(path, O_CLOEXEC, 0), false);
}

function readOpened(fd: number, shortReadIsEnd: boolean): string | null {
  if (fd < 0) return null;
  try {
    return readHeld(fd, shortReadIsEnd);
  } finally {
    native.close(fd);
  }
}

/**
 * The whole text of an open /proc file, read from offset 0 with pread: the
 * kernel generates it afresh (seq_file restarts at position 0), so a file
 * kept open reads as if just opened. Null when the first read fails (ESRCH:
 * the process it was opened for is gone).
 */
export function readHeld(fd: number, shortReadIsEnd: boolean): string | null {
  let length = 0;
  for (;;) {
    const room = fileBuffer.length - length;
    const got = native.pread(fd, length === 0 ? fileBuffer : fileBuffer.subarray(length), room, length);
    if (got < 0) return length > 0 ? fileBuffer.toString('latin1', 0, length) : null;
    if (got === 0) break;
    length += got;
    if (length === fileBuffer.length || (shortReadIsEnd && got < room)) break;
  }
  return fileBuffer.toString('latin1', 0, length);
}

/** Whether /proc/PID/NAME prints one record (a short read is its end). */
export function isSingleRecord(name: string): boolean {
  return SINGLE_RECORD.has(name);
}

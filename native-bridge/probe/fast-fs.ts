/**
 * The few file-system calls a whole-machine scan makes thousands of times,
 * straight into libc through koffi with buffers reused across calls: no
 * Stats objects, no exceptions for the common "process just exited" case.
 * (node:fs costs ~5 µs a readlink and ~7 µs a stat here; these ~1-2 µs.)
 */
import { libc, native, O_CLOEXEC, O_DIRECTORY } from '../libc/libc';

const lib = libc();
const readlinkRaw = lib.func('long readlink(const char *path, _Out_ uint8_t *buf, size_t size)') as (
  path: string,
  buf: Uint8Array,
  size: number,
) => number;
const statRaw = lib.func('int stat(const char *path, _Out_ uint8_t *buf)') as (path: string, buf: Uint8Array) => number;
const lstatRaw = lib.func('int lstat(const char *path, _Out_ uint8_t *buf)') as (path: string, buf: Uint8Array) => number;
/* getdents64 is syscall 217 on x86_64 */
const getdents64 = lib.func('long syscall(long nr, int fd, _Out_ uint8_t *buf, size_t size)') as (
  nr: number,
  fd: number,
  buf: Uint8Array,
  size: number,
) => number;
const SYS_GETDENTS64 = 217;

const linkBuffer = Buffer.alloc(4096);
const statBuffer = Buffer.alloc(144);
const direntBuffer = Buffer.alloc(32768);
const fileBuffer = Buffer.alloc(65536);

/** readlink(2) as a string, or null (gone, not a link, no permission). */
export function readLink(path: string): string | null {
  const length = readlinkRaw(path, linkBuffer, linkBuffer.length);
  return length < 0 ? null : linkBuffer.toString('utf8', 0, length);
}

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
    size: Number(statBuffer.readBigInt64LE(48)),
  };
}

export function statPath(path: string): StatInfo | null {
  return statRaw(path, statBuffer) === 0 ? decodeStat() : null;
}

export function lstatMode(path: string): number | null {
  return lstatRaw(path, statBuffer) === 0 ? statBuffer.readUInt32LE(24) : null;
}

/** Directory entry names (without "." and ".."), or null when it cannot be opened. */
export function listDirectory(path: string): string[] | null {
  const fd = native.open(path, O_CLOEXEC | O_DIRECTORY, 0);
  if (fd < 0) return null;
  const names: string[] = [];
  try {
    for (;;) {
      const length = getdents64(SYS_GETDENTS64, fd, direntBuffer, direntBuffer.length);
      if (length <= 0) break;
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      for (let at = 0; at < length; ) {
        const reclen = direntBuffer.readUInt16LE(at + 16);
        const nameStart = at + 19;
        const nameEnd = direntBuffer.indexOf(0, nameStart);
        const name = direntBuffer.toString('latin1', nameStart, nameEnd);
        if (name !== '.' && name !== '..') names.push(name);
        at += reclen;
      }
    }
  } finally {
    native.close(fd);
  }
  return names;
}

/** A small file's whole text (latin1), or null when it cannot be read. */
export function readSmallFile(path: string): string | null {
  const fd = native.open(path, O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    let length = 0;
    for (;;) {
      const got = native.read(fd, length === 0 ? fileBuffer : fileBuffer.subarray(length), fileBuffer.length - length);
      if (got < 0) return length > 0 ? fileBuffer.toString('latin1', 0, length) : null;
      if (got === 0) break;
      length += got;
      if (length === fileBuffer.length) break;
    }
    return fileBuffer.toString('latin1', 0, length);
  } finally {
    native.close(fd);
  }
}

/**
 * koffi bindings to POSIX shared memory and message queues (both in
 * libc.so.6, KERNEL-FACTS "POSIX IPC"), plus statfs to tell an mqueue
 * descriptor from a file at the root whose link also reads "/NAME".
 * mq_open is variadic in C: declared with its fixed four-argument prototype.
 */
import { O_CLOEXEC, O_RDONLY, check, libc, native } from './libc';

/* defined in libc.ts, since shmat fails with the same (void *)-1; re-exported beside mmap for its callers */
export { MAP_FAILED } from './libc';

export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
/* statfs f_type of the mqueue filesystem (include/uapi/linux/magic.h) */
export const MQUEUE_MAGIC = 0x19800202;

const lib = libc();

export const posix = {
  shmOpen: lib.func('int shm_open(const char *name, int oflag, unsigned int mode)') as (name: string, oflag: number, mode: number) => number,
  shmUnlink: lib.func('int shm_unlink(const char *name)') as (name: string) => number,
  ftruncate: lib.func('int ftruncate(int fd, long length)') as (fd: number, length: number) => number,
  mmap: lib.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)') as (
    addr: null,
    len: number,
    prot: number,
    flags: number,
    fd: number,
    off: number,
  ) => bigint,
  munmap: lib.func('int munmap(void *addr, size_t len)') as (addr: bigint, len: number) => number,
  /* mq_attr is 64 bytes: flags@0 maxmsg@8 msgsize@16 curmsgs@24 */
  mqOpen: lib.func('int mq_open(const char *name, int oflag, unsigned int mode, const uint8_t *attr)') as (
    name: string,
    oflag: number,
    mode: number,
    attr: Uint8Array | null,
  ) => number,
  mqClose: lib.func('int mq_close(int mqd)') as (mqd: number) => number,
  mqUnlink: lib.func('int mq_unlink(const char *name)') as (name: string) => number,
  mqSend: lib.func('int mq_send(int mqd, const uint8_t *msg, size_t len, unsigned int prio)') as (
    mqd: number,
    msg: Uint8Array,
    len: number,
    prio: number,
  ) => number,
  mqReceive: lib.func('long mq_receive(int mqd, _Out_ uint8_t *msg, size_t len, _Out_ uint32_t *prio)') as (
    mqd: number,
    msg: Uint8Array,
    len: number,
    prio: Uint32Array | null,
  ) => number,
  mqGetattr: lib.func('int mq_getattr(int mqd, _Out_ uint8_t *attr)') as (mqd: number, attr: Uint8Array) => number,
  statfs: lib.func('int statfs(const char *path, _Out_ uint8_t *buf)') as (path: string, buf: Uint8Array) => number,
};

export interface MqAttr {
  maxMessages: number;
  messageSize: number;
  messages: number;
}

export function encodeMqAttr(maxMessages: number, messageSize: number): Uint8Array {
  const buf = new Uint8Array(64);
  const dv = new DataView(buf.buffer);
  dv.setBigInt64(8, BigInt(maxMessages), true);
  dv.setBigInt64(16, BigInt(messageSize), true);
  return buf;
}

export function mqGetattr(mqd: number): MqAttr {
  const buf = new Uint8Array(64);
  check('mq_getattr', posix.mqGetattr(mqd, buf));
  const dv = new DataView(buf.buffer);
  return {
    maxMessages: Number(dv.getBigInt64(8, true)),
    messageSize: Number(dv.getBigInt64(16, true)),
    messages: Number(dv.getBigInt64(24, true)),
  };
}

/** statfs f_type (first field, a long on x86_64) of a path, or null when statfs fails. */
export function fsMagic(path: string): number | null {
  const buf = new Uint8Array(120);
  if (posix.statfs(path, buf) < 0) return null;
  return Number(new DataView(buf.buffer).getBigInt64(0, true));
}

/** Reads the "QSIZE:n" line of an mqueue file through pread at offset 0 (the shared file position is not moved). */
export function readQsize(fd: number): number | null {
  const buf = new Uint8Array(128);
  const n = native.pread(fd, buf, buf.length, 0);
  if (n <= 0) return null;
  const m = /QSIZE:(\d+)/.exec(Buffer.from(buf.subarray(0, n)).toString('latin1'));
  return m ? Number(m[1]) : null;
}

/** QSIZE through a mounted mqueue filesystem: `<mount>/<name without slash>`. */
export function readQsizeAt(mountDir: string, name: string): number | null {
  const fd = native.open(`${mountDir}/${name.replace(/^\//, '')}`, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    return readQsize(fd);
  } finally {
    native.close(fd);
  }
}

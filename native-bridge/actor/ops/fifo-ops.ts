/**
 * FIFO ops: mkfifo, open, stat, unlink. Each is one syscall.
 * open() of a FIFO sleeps until the other end is opened too: glibc open is
 * openat (257), wchan wait_for_partner (KERNEL-FACTS.md).
 */
import { libc, native, O_CLOEXEC, O_RDONLY, O_WRONLY } from '../../libc/libc';
import { type OpTable, OpArgError, failed, intArg, stringArg, syscallOutcome } from './op-types';

const lib = libc();
/* glibc >= 2.33 exports stat() as a function; struct stat is 144 bytes on x86_64 */
const statPath = lib.func('int stat(const char *path, _Out_ uint8_t *buf)') as (path: string, buf: Uint8Array) => number;
const STAT_SIZE = 144;
/* x86_64 struct stat offsets: st_ino 8, st_nlink 16, st_mode 24 (u32), st_size 48, st_blocks 64 */
const S_IFMT = 0o170000;
const FILE_TYPES: Record<number, string> = {
  0o010000: 'p',
  0o020000: 'c',
  0o040000: 'd',
  0o060000: 'b',
  0o100000: '-',
  0o120000: 'l',
  0o140000: 's',
};

function pathArg(args: Record<string, unknown>): string {
  const path = stringArg(args, 'path');
  if (!path.startsWith('/') || path.length > 4000) throw new OpArgError('path must be absolute (under 4000 characters)');
  return path;
}

export const fifoOps: OpTable = {
  mkfifo: {
    sleepsIn: [],
    run(args) {
      const mode = intArg(args, 'mode', 0o600);
      return syscallOutcome(native.mkfifo(pathArg(args), mode & 0o777));
    },
  },
  open: {
    /* openat (257): a FIFO open waits in wait_for_partner for the other end */
    sleepsIn: [257],
    run(args, state) {
      const access = stringArg(args, 'access');
      if (access !== 'read' && access !== 'write') throw new OpArgError('access must be "read" or "write"');
      /* O_CLOEXEC: children get descriptors only through posix_spawn file actions */
      const fd = native.open(pathArg(args), (access === 'read' ? O_RDONLY : O_WRONLY) | O_CLOEXEC, 0);
      if (fd < 0) return failed();
      state.lessonFds.add(fd);
      /* the object as a snapshot names it: "fifo:<inode>" */
      const buf = new Uint8Array(STAT_SIZE);
      const stat = native.fstat(fd, buf) === 0 ? Buffer.from(buf.buffer) : null;
      const isFifo = stat !== null && (stat.readUInt32LE(24) & S_IFMT) === 0o010000;
      return { result: fd, errno: null, data: { fd, object: isFifo ? `fifo:${Number(stat.readBigUInt64LE(8))}` : null } };
    },
  },
  stat: {
    sleepsIn: [],
    run(args) {
      const buf = new Uint8Array(STAT_SIZE);
      if (statPath(pathArg(args), buf) < 0) return failed();
      const view = Buffer.from(buf.buffer);
      const mode = view.readUInt32LE(24);
      return {
        result: 0,
        errno: null,
        data: {
          type: FILE_TYPES[mode & S_IFMT] ?? '?',
          mode: mode & 0o7777,
          inode: Number(view.readBigUInt64LE(8)),
          size: Number(view.readBigInt64LE(48)),
          blocks: Number(view.readBigInt64LE(64)),
        },
      };
    },
  },
  unlink: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(native.unlink(pathArg(args)));
    },
  },
};

/**
 * Ops for a file shared through mmap and guarded by a file lock:
 * open-file (O_RDWR|O_CREAT, for a regular file in the lesson's directory),
 * mmap-file (MAP_SHARED of that file), flock and fcntl-lock. munmap, close,
 * ftruncate and unlink are the POSIX, pipe and FIFO ops'.
 * Sleeping syscalls (x86_64, KERNEL-FACTS): flock 73 (wchan
 * locks_lock_inode_wait), fcntl 72 with F_SETLKW (wchan fcntl_setlk); arg0 is
 * the descriptor.
 */
import { MAP_FAILED, O_CLOEXEC, O_RDWR, O_WRONLY, STAT_SIZE, libc, native } from '../../libc/libc';
import { MAP_SHARED, O_CREAT, PROT_READ, PROT_WRITE, posix } from '../../libc/posix-ipc';
import { lockDevice } from '../../probe/kinds/files/file-locks';
import { addMapping, hexAddress } from './mappings';
import { type OpTable, OpArgError, failed, intArg, stringArg, syscallOutcome } from './op-types';

const lib = libc();
const flockCall = lib.func('int flock(int fd, int operation)') as (fd: number, operation: number) => number;
/* fcntl is variadic in C: declared with the fixed prototype of its struct flock * form (KERNEL-FACTS "koffi") */
const fcntlLock = lib.func('int fcntl(int fd, int cmd, _Inout_ uint8_t *lock)') as (fd: number, cmd: number, lock: Uint8Array) => number;

export const SYS_FLOCK = 73;
export const SYS_FCNTL = 72;
/* <sys/file.h> */
const LOCK_OPS: Record<string, number> = { LOCK_SH: 1, LOCK_EX: 2, LOCK_UN: 8 };
const LOCK_NB = 4;
/* <fcntl.h> x86_64: F_SETLK 6, F_SETLKW 7; l_type F_RDLCK 0, F_WRLCK 1, F_UNLCK 2 */
const F_SETLK = 6;
const F_SETLKW = 7;
const LOCK_TYPES: Record<string, number> = { F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2 };
/* struct flock on x86_64: short l_type@0, short l_whence@2, off_t l_start@8, off_t l_len@16, pid_t l_pid@24; 32 bytes */
const FLOCK_SIZE = 32;
/* a lesson file: a few pages at most */
/* <fcntl.h> on x86_64 */
const O_APPEND = 0o2000;

const MAX_FILE_MAP = 1 << 20;

function pathArg(args: Record<string, unknown>): string {
  const path = stringArg(args, 'path');
  if (!path.startsWith('/') || path.length > 4000) throw new OpArgError('path must be absolute (under 4000 characters)');
  return path;
}

/** "fe:00:2148058": the file as /proc/locks names it (device major:minor in hex, inode), from fstat of `fd`; null when fstat fails. */
export function fileIdOf(fd: number): string | null {
  const buf = new Uint8Array(STAT_SIZE);
  if (native.fstat(fd, buf) !== 0) return null;
  const view = Buffer.from(buf.buffer);
  /* x86_64 struct stat: st_dev u64 @0, st_ino u64 @8 */
  return `${lockDevice(Number(view.readBigUInt64LE(0)))}:${Number(view.readBigUInt64LE(8))}`;
}

export const mmapOps: OpTable = {
  'open-file': {
    sleepsIn: [],
    run(args, state) {
      /* O_CLOEXEC: children get descriptors only through posix_spawn file actions */
      /* append: O_WRONLY|O_APPEND, every write lands at the end (a log file) */
      const access = args.append === true ? O_WRONLY | O_APPEND : O_RDWR;
      const flags = access | O_CLOEXEC | (args.create === true ? O_CREAT : 0);
      const fd = native.open(pathArg(args), flags, 0o600);
      if (fd < 0) return failed();
      state.lessonFds.add(fd);
      /* "fe:00:2148058" as /proc/locks names the file */
      return { result: fd, errno: null, data: { fd, file: fileIdOf(fd) } };
    },
  },
  'mmap-file': {
    sleepsIn: [],
    run(args) {
      const fd = intArg(args, 'fd');
      const length = intArg(args, 'size', 4096);
      if (length < 1 || length > MAX_FILE_MAP) throw new OpArgError(`size must be 1 to ${MAX_FILE_MAP}`);
      const address = posix.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (address === MAP_FAILED) return failed();
      const file = fileIdOf(fd);
      addMapping({ address, length, writable: true, object: `file:${file ?? fd}` });
      return { result: 0, errno: null, data: { address: hexAddress(address), length, object: file === null ? null : `mmap:${file}` } };
    },
  },
  flock: {
    sleepsIn: [SYS_FLOCK],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const name = stringArg(args, 'operation');
      const operation = LOCK_OPS[name];
      if (operation === undefined) throw new OpArgError(`operation must be one of ${Object.keys(LOCK_OPS).join(', ')}`);
      const result = flockCall(fd, operation | (args.nowait === true ? LOCK_NB : 0));
      if (result < 0) return failed();
      const file = operation === LOCK_OPS.LOCK_UN ? null : fileIdOf(fd);
      return syscallOutcome(result, { object: file === null ? null : `lock:${file}` });
    },
  },
  'fcntl-lock': {
    sleepsIn: [SYS_FCNTL],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const typeName = stringArg(args, 'type');
      const type = LOCK_TYPES[typeName];
      if (type === undefined) throw new OpArgError(`type must be one of ${Object.keys(LOCK_TYPES).join(', ')}`);
      const start = intArg(args, 'start', 0);
      const len = intArg(args, 'len', 0);
      if (start < 0 || len < 0) throw new OpArgError('start and len must be 0 or more (len 0: to the end of the file)');
      const lock = Buffer.alloc(FLOCK_SIZE);
      lock.writeInt16LE(type, 0);
      /* l_whence SEEK_SET */
      lock.writeInt16LE(0, 2);
      lock.writeBigInt64LE(BigInt(start), 8);
      lock.writeBigInt64LE(BigInt(len), 16);
      const result = fcntlLock(fd, args.wait === false ? F_SETLK : F_SETLKW, lock);
      if (result < 0) return failed();
      const file = type === LOCK_TYPES.F_UNLCK ? null : fileIdOf(fd);
      return syscallOutcome(result, { object: file === null ? null : `lock:${file}` });
    },
  },
};

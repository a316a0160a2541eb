/**
 * Pipe ops: pipe2, close, read, write, write-fill, get-pipe-size,
 * set-pipe-size. Each is one syscall.
 * x86_64 syscall numbers: read 0, write 1 (a read on an empty pipe sleeps in
 * wchan anon_pipe_read, a write on a full one in anon_pipe_write).
 */
import { F_GETPIPE_SZ, F_SETPIPE_SZ, O_CLOEXEC, native, selfFdInode } from '../../libc/libc';
import { type OpTable, OpArgError, bytesArg, intArg, failed, syscallOutcome } from './op-types';

/* One read moves at most this much: a pipe holds 65536 bytes by default */
const MAX_READ = 1 << 20;

export const pipeOps: OpTable = {
  pipe2: {
    sleepsIn: [],
    run(_args, state) {
      const fds = new Int32Array(2);
      /* Always O_CLOEXEC: children get descriptors only through posix_spawn file actions */
      const result = native.pipe2(fds, O_CLOEXEC);
      if (result < 0) return failed();
      const [readFd, writeFd] = [fds[0]!, fds[1]!];
      state.lessonFds.add(readFd);
      state.lessonFds.add(writeFd);
      const inode = selfFdInode(readFd, 'pipe');
      return {
        result,
        errno: null,
        data: { fds: [readFd, writeFd], inode, object: inode === null ? null : `pipe:${inode}` },
      };
    },
  },
  close: {
    sleepsIn: [],
    run(args, state) {
      const fd = intArg(args, 'fd');
      const result = native.close(fd);
      if (result === 0) state.lessonFds.delete(fd);
      return syscallOutcome(result);
    },
  },
  read: {
    sleepsIn: [0],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const count = intArg(args, 'count', 64);
      if (count < 0 || count > MAX_READ) throw new OpArgError(`count must be 0 to ${MAX_READ}`);
      const buf = new Uint8Array(count);
      const result = native.read(fd, buf, count);
      if (result < 0) return failed();
      return { result, errno: null, data: { bytes: Buffer.from(buf.subarray(0, result)).toString('base64') } };
    },
  },
  write: {
    sleepsIn: [1],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const bytes = bytesArg(args);
      /* With SIGPIPE at its default, a write with no reader left kills the actor here */
      const result = native.write(fd, bytes, bytes.length);
      return syscallOutcome(result, { offered: bytes.length });
    },
  },
  'set-pipe-size': {
    sleepsIn: [],
    run(args) {
      const fd = intArg(args, 'fd');
      const size = intArg(args, 'size');
      /* F_SETPIPE_SZ: 1031; returns the capacity granted (rounded up to a power-of-two of pages) */
      return syscallOutcome(native.fcntlInt(fd, F_SETPIPE_SZ, size));
    },
  },
  'get-pipe-size': {
    sleepsIn: [],
    run(args) {
      /* F_GETPIPE_SZ: 1032; the capacity in bytes (65536 by default: 16 page-sized slots) */
      return syscallOutcome(native.fcntlInt(intArg(args, 'fd'), F_GETPIPE_SZ, 0));
    },
  },
  'write-fill': {
    sleepsIn: [1],
    fdArg: 'fd',
    run(args) {
      /* one write of `count` bytes of "x": fills a pipe without sending its content through the control channel */
      const fd = intArg(args, 'fd');
      const count = intArg(args, 'count');
      if (count < 1 || count > MAX_READ) throw new OpArgError(`count must be 1 to ${MAX_READ}`);
      const bytes = new Uint8Array(count).fill(0x78);
      return syscallOutcome(native.write(fd, bytes, count), { offered: count });
    },
  },
};

/**
 * Passing descriptors over a Unix socket: sendmsg with an SCM_RIGHTS control
 * message, and the recvmsg that installs them in the receiver's descriptor
 * table under new numbers (the lowest free ones there). One syscall each,
 * through actor/fd-passing.ts (msghdr/cmsghdr laid out for x86_64).
 * x86_64 numbers: sendmsg 46, recvmsg 47; a recvmsg on an empty Unix stream
 * socket sleeps in wchan unix_stream_read_generic.
 */
import { readlinkSync } from 'node:fs';
import { MSG_DONTWAIT, MSG_NOSIGNAL } from '../../libc/sockets';
import { receiveRightsMessage, sendRightsMessage } from '../fd-passing';
import { type OpTable, OpArgError, failed, intArg, intListArg } from './op-types';

/** What a received descriptor is, as /proc/self/fd names it ("pipe:[123]"); null if unreadable. */
function targetOf(fd: number): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/** "pipe:[123]" -> "pipe:123", the object id lessons and frames use. */
function objectIdOf(target: string | null): string | null {
  const m = target === null ? null : /^(pipe|socket):\[(\d+)\]$/.exec(target);
  if (!m) return null;
  return `${m[1] === 'socket' ? 'unix' : 'pipe'}:${m[2]}`;
}

export const scmRightsOps: OpTable = {
  'sendmsg-fd': {
    sleepsIn: [46],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const pass = intListArg(args, 'pass');
      if (!pass || pass.length < 1 || pass.length > 4) throw new OpArgError('argument "pass" must list 1 to 4 descriptors');
      const payload = intArg(args, 'byte', 0x2a);
      if (payload < 0 || payload > 255) throw new OpArgError('argument "byte" must be 0 to 255');
      /* SIGPIPE keeps its default unless asked; a full queue sleeps unless nonblock */
      const flags = (args.nonblock === true ? MSG_DONTWAIT : 0) | (args.nosignal === true ? MSG_NOSIGNAL : 0);
      const result = sendRightsMessage(fd, pass, flags, payload);
      if (result < 0) return failed();
      return { result, errno: null, data: { passed: pass } };
    },
  },
  'recvmsg-fd': {
    sleepsIn: [47],
    fdArg: 'fd',
    run(args, state) {
      const fd = intArg(args, 'fd');
      const message = receiveRightsMessage(fd, args.nonblock === true ? MSG_DONTWAIT : 0);
      if (message.got < 0) return failed();
      for (const received of message.fds) state.lessonFds.add(received);
      const target = message.fds.length > 0 ? targetOf(message.fds[0]!) : null;
      /* MSG_CTRUNC 0x8: descriptors were dropped for want of room (or of RLIMIT_NOFILE) */
      return {
        result: message.got,
        errno: null,
        data: { fds: message.fds, target, object: objectIdOf(target), truncated: (message.msgFlags & 0x8) !== 0 },
      };
    },
  },
};

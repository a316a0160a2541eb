/**
 * Socket ops: socketpair, socket, bind, listen, accept4, connect, send, recv,
 * sendto, shutdown. Each is one syscall. x86_64 numbers an op may sleep in:
 * accept4 288, connect 42, send -> sendto 44, recv -> recvfrom 45 (a recv on
 * an empty Unix stream socket sleeps in wchan unix_stream_read_generic).
 * Every descriptor is SOCK_CLOEXEC (accept4 too): children get them only
 * through spawn-child's file actions. Addresses are named, never raw bytes:
 * `path` ("@name" = abstract) for Unix, `host` + `port` for IPv4/IPv6.
 */
import { selfFdInode } from '../../libc/libc';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_PEEK,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOL_SOCKET,
  TYPE_OF_KIND,
  type SockAddr,
  getIntOption,
  inet4Address,
  inet6Address,
  localPort,
  sock,
  unixAddress,
} from '../../libc/sockets';
import type { OpArgs, OpData } from '../actor-protocol';
import { type ActorState, type OpTable, OpArgError, bytesArg, intArg, stringArg, failed, syscallOutcome } from './op-types';

const MAX_RECV = 1 << 20;

const FAMILIES: Record<string, number> = { unix: AF_UNIX, inet: AF_INET, inet6: AF_INET6 };
const SHUTDOWN: Record<string, number> = { read: SHUT_RD, write: SHUT_WR, both: SHUT_RDWR };

function choice(args: OpArgs, name: string, table: Record<string, number>, fallback?: string): number {
  const key = stringArg(args, name, fallback);
  const value = Object.hasOwn(table, key) ? table[key] : undefined;
  if (value === undefined) throw new OpArgError(`argument "${name}" must be one of ${Object.keys(table).join(', ')}`);
  return value;
}

function flag(args: OpArgs, name: string): boolean {
  const value = args[name] ?? false;
  if (typeof value !== 'boolean') throw new OpArgError(`argument "${name}" must be true or false`);
  return value;
}

/** `path` for Unix (abstract when it starts with "@"), else `host` + `port` (IPv6 when the host has a colon). */
function addressArg(args: OpArgs): SockAddr {
  try {
    if (args.path !== undefined) return unixAddress(stringArg(args, 'path'));
    const host = stringArg(args, 'host');
    const port = intArg(args, 'port', 0);
    if (port < 0 || port > 65535) throw new OpArgError('port must be 0 to 65535');
    return host.includes(':') ? inet6Address(host, port) : inet4Address(host, port);
  } catch (err) {
    if (err instanceof RangeError) throw new OpArgError(err.message);
    throw err;
  }
}

/* SO_TYPE 3, SO_DOMAIN 39: what a descriptor is, asked of the kernel (an accepted socket's kind follows its listener) */
const SO_TYPE = 3;
const SO_DOMAIN = 39;

/** The object id of a socket descriptor: inode from our own descriptor table, kind from SO_DOMAIN/SO_TYPE. */
function describeSocket(fd: number): OpData {
  const family = getIntOption(fd, SOL_SOCKET, SO_DOMAIN);
  const type = getIntOption(fd, SOL_SOCKET, SO_TYPE);
  const inode = selfFdInode(fd, 'socket');
  const kind = family === AF_UNIX ? 'unix' : type === SOCK_DGRAM ? 'udp' : 'tcp';
  return { fd, inode, object: inode === null ? null : `${kind}:${inode}` };
}

function remember(state: ActorState, ...fds: number[]): void {
  for (const fd of fds) state.lessonFds.add(fd);
}

export const socketOps: OpTable = {
  socketpair: {
    sleepsIn: [],
    run(args, state) {
      const type = choice(args, 'type', TYPE_OF_KIND, 'stream');
      const sv = new Int32Array(2);
      const result = sock.socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv);
      if (result < 0) return failed();
      const [a, b] = [sv[0]!, sv[1]!];
      remember(state, a, b);
      /* object ids are unix:<inode>; `object` (sv[0]) is what a lesson shows: the picture draws the pair from either end */
      const inodes = [selfFdInode(a, 'socket'), selfFdInode(b, 'socket')].filter((i) => i !== null);
      return { result, errno: null, data: { fds: [a, b], inodes, object: inodes.length === 2 ? `unix:${inodes[0]}` : null } };
    },
  },
  socket: {
    sleepsIn: [],
    run(args, state) {
      const family = choice(args, 'family', FAMILIES, 'unix');
      const type = choice(args, 'type', TYPE_OF_KIND, 'stream');
      const fd = sock.socket(family, type | SOCK_CLOEXEC | (flag(args, 'nonblock') ? SOCK_NONBLOCK : 0), 0);
      if (fd < 0) return failed();
      remember(state, fd);
      return { result: fd, errno: null, data: describeSocket(fd) };
    },
  },
  bind: {
    sleepsIn: [],
    run(args) {
      const fd = intArg(args, 'fd');
      const addr = addressArg(args);
      const result = sock.bind(fd, addr.bytes, addr.length);
      /* an inet socket bound to port 0 gets one from the kernel: tell which */
      return syscallOutcome(result, args.path === undefined && result === 0 ? { port: localPort(fd) } : undefined);
    },
  },
  listen: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(sock.listen(intArg(args, 'fd'), intArg(args, 'backlog', 5)));
    },
  },
  accept4: {
    sleepsIn: [43, 288],
    fdArg: 'fd',
    run(args, state) {
      const fd = intArg(args, 'fd');
      const result = sock.accept4(fd, null, null, SOCK_CLOEXEC | (flag(args, 'nonblock') ? SOCK_NONBLOCK : 0));
      if (result < 0) return failed();
      remember(state, result);
      return { result, errno: null, data: describeSocket(result) };
    },
  },
  connect: {
    sleepsIn: [42],
    fdArg: 'fd',
    run(args) {
      const addr = addressArg(args);
      return syscallOutcome(sock.connect(intArg(args, 'fd'), addr.bytes, addr.length));
    },
  },
  send: {
    sleepsIn: [44],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const bytes = bytesArg(args);
      /* SIGPIPE keeps its default unless the lesson asks for MSG_NOSIGNAL */
      const flags = (flag(args, 'nonblock') ? MSG_DONTWAIT : 0) | (flag(args, 'nosignal') ? MSG_NOSIGNAL : 0);
      return syscallOutcome(sock.send(fd, bytes, bytes.length, flags), { offered: bytes.length });
    },
  },
  sendto: {
    sleepsIn: [44],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const bytes = bytesArg(args);
      const addr = addressArg(args);
      const flags = (flag(args, 'nonblock') ? MSG_DONTWAIT : 0) | (flag(args, 'nosignal') ? MSG_NOSIGNAL : 0);
      return syscallOutcome(sock.sendto(fd, bytes, bytes.length, flags, addr.bytes, addr.length), { offered: bytes.length });
    },
  },
  recv: {
    sleepsIn: [45],
    fdArg: 'fd',
    run(args) {
      const fd = intArg(args, 'fd');
      const count = intArg(args, 'count', 64);
      if (count < 0 || count > MAX_RECV) throw new OpArgError(`count must be 0 to ${MAX_RECV}`);
      const flags = (flag(args, 'nonblock') ? MSG_DONTWAIT : 0) | (flag(args, 'peek') ? MSG_PEEK : 0);
      const buf = new Uint8Array(count);
      const result = sock.recv(fd, buf, count, flags);
      if (result < 0) return failed();
      return { result, errno: null, data: { bytes: Buffer.from(buf.subarray(0, result)).toString('base64') } };
    },
  },
  shutdown: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(sock.shutdown(intArg(args, 'fd'), choice(args, 'how', SHUTDOWN, 'write')));
    },
  },
};

/**
 * koffi bindings for sockets: socket, socketpair, bind, listen, accept4,
 * connect, send/recv, sendto/recvfrom, plus sockaddr builders for AF_UNIX,
 * AF_INET, AF_INET6 and AF_NETLINK. Every descriptor is created close-on-exec
 * (SOCK_CLOEXEC, accept4) so it never leaks into children as a false holder.
 * Addresses are plain byte buffers: koffi passes a Uint8Array as a pointer.
 */
import { check, lastErrno, libc, selfFdInode } from './libc';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
/* SOCK_NONBLOCK / SOCK_CLOEXEC share O_NONBLOCK / O_CLOEXEC values on x86_64 */
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const NETLINK_SOCK_DIAG = 4;
export const MSG_PEEK = 0x2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
/* SO_PEEK_OFF: when >= 0, MSG_PEEK advances a per-socket offset (an observer effect) */
export const SO_PEEK_OFF = 42;
/* what a socket is, asked of the socket itself: its protocol number and its address family */
export const SO_PROTOCOL = 38;
export const SO_DOMAIN = 39;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

export type SocketKind = 'stream' | 'dgram' | 'seqpacket';

export const TYPE_OF_KIND: Record<SocketKind, number> = { stream: SOCK_STREAM, dgram: SOCK_DGRAM, seqpacket: SOCK_SEQPACKET };

const lib = libc();

export const sock = {
  socket: lib.func('int socket(int domain, int type, int protocol)') as (domain: number, type: number, protocol: number) => number,
  socketpair: lib.func('int socketpair(int domain, int type, int protocol, _Out_ int *sv)') as (
    domain: number,
    type: number,
    protocol: number,
    sv: Int32Array,
  ) => number,
  bind: lib.func('int bind(int fd, const uint8_t *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  listen: lib.func('int listen(int fd, int backlog)') as (fd: number, backlog: number) => number,
  /* accept4 with NULL address: the peer address is read through getpeername/sock_diag when needed */
  accept4: lib.func('int accept4(int fd, void *addr, void *len, int flags)') as (fd: number, addr: null, len: null, flags: number) => number,
  connect: lib.func('int connect(int fd, const uint8_t *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  send: lib.func('long send(int fd, const uint8_t *buf, size_t len, int flags)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
  ) => number,
  recv: lib.func('long recv(int fd, _Out_ uint8_t *buf, size_t len, int flags)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
  ) => number,
  sendto: lib.func('long sendto(int fd, const uint8_t *buf, size_t len, int flags, const uint8_t *addr, uint32_t addrLen)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    addr: Uint8Array,
    addrLen: number,
  ) => number,
  recvfrom: lib.func('long recvfrom(int fd, _Out_ uint8_t *buf, size_t len, int flags, _Out_ uint8_t *addr, _Inout_ uint32_t *addrLen)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    addr: Uint8Array,
    addrLen: Uint32Array,
  ) => number,
  getsockname: lib.func('int getsockname(int fd, _Out_ uint8_t *addr, _Inout_ uint32_t *len)') as (
    fd: number,
    addr: Uint8Array,
    len: Uint32Array,
  ) => number,
  setsockoptInt: lib.func('int setsockopt(int fd, int level, int name, const int *value, uint32_t len)') as (
    fd: number,
    level: number,
    name: number,
    value: Int32Array,
    len: number,
  ) => number,
  getsockoptInt: lib.func('int getsockopt(int fd, int level, int name, _Out_ int *value, _Inout_ uint32_t *len)') as (
    fd: number,
    level: number,
    name: number,
    value: Int32Array,
    len: Uint32Array,
  ) => number,
  shutdown: lib.func('int shutdown(int fd, int how)') as (fd: number, how: number) => number,
};

/** A socket address ready for bind/connect/sendto: the bytes and the length to pass. */
export interface SockAddr {
  bytes: Uint8Array;
  length: number;
}

/* sockaddr_un: sa_family_t (2) + sun_path[108] */
const SUN_PATH_MAX = 108;

/**
 * sockaddr_un for a filesystem path, or for an abstract name when `name`
 * starts with "@" (written as a leading NUL; the length covers exactly the
 * name, so the kernel stores no trailing NUL).
 */
export function unixAddress(name: string): SockAddr {
  const abstract = name.startsWith('@');
  const text = Buffer.from(abstract ? name.slice(1) : name, 'utf8');
  const pathBytes = text.length + 1; /* the leading NUL of an abstract name, or a path's trailing NUL */
  if (pathBytes > SUN_PATH_MAX) throw new RangeError(`unix socket name too long: ${name}`);
  const bytes = new Uint8Array(2 + SUN_PATH_MAX);
  new DataView(bytes.buffer).setUint16(0, AF_UNIX, true);
  bytes.set(text, abstract ? 3 : 2);
  return { bytes, length: 2 + pathBytes };
}

/** sockaddr_in (16 bytes): family, port (big-endian), address (network order). */
export function inet4Address(host: string, port: number): SockAddr {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`bad IPv4 address: ${host}`);
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, port, false);
  bytes.set(parts, 4);
  return { bytes, length: 16 };
}

/** sockaddr_in6 (28 bytes): family, port, flowinfo, 16-byte address, scope id. */
export function inet6Address(host: string, port: number): SockAddr {
  const bytes = new Uint8Array(28);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET6, true);
  view.setUint16(2, port, false);
  bytes.set(parseIpv6(host), 8);
  return { bytes, length: 28 };
}

/** sockaddr_nl (12 bytes) addressed to the kernel (pid 0, no groups). */
export function netlinkKernelAddress(): SockAddr {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint16(0, AF_NETLINK, true);
  return { bytes, length: 12 };
}

function parseIpv6(host: string): Uint8Array {
  const out = new Uint8Array(16);
  const [head = '', tail] = host.split('::');
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  if (tail === undefined && front.length !== 8) throw new RangeError(`bad IPv6 address: ${host}`);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new RangeError(`bad IPv6 address: ${host}`);
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** socket(domain, type | SOCK_CLOEXEC | extra, protocol). */
export function openSocket(domain: number, type: number, protocol = 0, extraFlags = 0): number {
  return check('socket', sock.socket(domain, type | SOCK_CLOEXEC | extraFlags, protocol));
}

/** socketpair(AF_UNIX, kind | SOCK_CLOEXEC): returns both ends. */
export function makeSocketPair(kind: SocketKind, extraFlags = 0): [number, number] {
  const sv = new Int32Array(2);
  check('socketpair', sock.socketpair(AF_UNIX, TYPE_OF_KIND[kind] | SOCK_CLOEXEC | extraFlags, 0, sv));
  return [sv[0]!, sv[1]!];
}

export function unixSocket(kind: SocketKind, extraFlags = 0): number {
  return openSocket(AF_UNIX, TYPE_OF_KIND[kind], 0, extraFlags);
}

export function bindTo(fd: number, addr: SockAddr): void {
  check('bind', sock.bind(fd, addr.bytes, addr.length));
}

export function listenOn(fd: number, backlog: number): void {
  check('listen', sock.listen(fd, backlog));
}

/** Returns 0 on success, or -errno (EINPROGRESS / EAGAIN are expected on non-blocking sockets). */
export function connectTo(fd: number, addr: SockAddr): number {
  const rc = sock.connect(fd, addr.bytes, addr.length);
  return rc < 0 ? -lastErrno() : 0;
}

/** accept4(SOCK_CLOEXEC | extra). */
export function acceptFrom(fd: number, extraFlags = 0): number {
  return check('accept4', sock.accept4(fd, null, null, SOCK_CLOEXEC | extraFlags));
}

/** send(MSG_NOSIGNAL | flags): a closed peer gives EPIPE as an error, not a signal in the caller. */
export function sendBytes(fd: number, data: Uint8Array, flags = 0): number {
  return check('send', sock.send(fd, data, data.length, MSG_NOSIGNAL | flags));
}

export function recvBytes(fd: number, max: number, flags = 0): Buffer {
  const buf = Buffer.alloc(max);
  const n = check('recv', sock.recv(fd, buf, max, flags));
  return buf.subarray(0, n);
}

/** The local port a socket was bound to (also after binding port 0). */
export function localPort(fd: number): number {
  const addr = new Uint8Array(28);
  const len = new Uint32Array([28]);
  check('getsockname', sock.getsockname(fd, addr, len));
  return new DataView(addr.buffer).getUint16(2, false);
}

export function setIntOption(fd: number, level: number, name: number, value: number): void {
  check('setsockopt', sock.setsockoptInt(fd, level, name, new Int32Array([value]), 4));
}

/** getsockopt of an int option, or null when the call fails. */
export function getIntOption(fd: number, level: number, name: number): number | null {
  const value = new Int32Array(1);
  const len = new Uint32Array([4]);
  return sock.getsockoptInt(fd, level, name, value, len) < 0 ? null : value[0]!;
}

/** Inode of the socket behind a descriptor of this process; throws when the descriptor is not a socket. */
export function socketInode(fd: number): number {
  const inode = selfFdInode(fd, 'socket');
  if (inode === null) throw new Error(`fd ${fd} is not a socket`);
  return inode;
}

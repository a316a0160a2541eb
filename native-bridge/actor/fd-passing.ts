/**
 * Handing descriptors from one process to another over a Unix socket
 * (SCM_RIGHTS, sendmsg/recvmsg through koffi). The engine uses it to give a
 * parent actor the control ends of the child actor it is about to
 * posix_spawn: nothing listens anywhere, so no other process can reach an
 * actor's control channel.
 *
 * Layouts on x86_64 (glibc <sys/socket.h>): msghdr 56 bytes {name@0,
 * namelen u32@8, iov@16, iovlen u64@24, control@32, controllen u64@40,
 * flags i32@48}; iovec 16 {base@0, len@8}; cmsghdr 16 {len u64@0, level
 * i32@8, type i32@12} followed by the ints.
 */
import koffi from 'koffi';
import { lastErrno, libc } from '../libc/libc';
import { errnoName } from '../libc/errno';

const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const MSG_DONTWAIT = 0x40;
/* received descriptors are close-on-exec at once: none leaks into a spawn before it is placed */
const MSG_CMSG_CLOEXEC = 0x40000000;
const MAX_FDS = 4;

const MSG = 0;
const IOV = 64;
const BYTE = 80;
const CMSG = 96;
const CMSG_HEADER = 16;
const BLOCK = CMSG + CMSG_HEADER + MAX_FDS * 4;

const lib = libc();
const sendmsg = lib.func('long sendmsg(int fd, void *msg, int flags)') as (fd: number, msg: unknown, flags: number) => number;
const recvmsg = lib.func('long recvmsg(int fd, void *msg, int flags)') as (fd: number, msg: unknown, flags: number) => number;

/** One block of C memory for the message, its one-byte payload and its control data (one thread uses it). */
let block: { pointer: unknown; base: bigint; view: DataView } | null = null;

function message(fdCount: number): { pointer: unknown; view: DataView } {
  if (!block) {
    const pointer: unknown = koffi.alloc('uint8_t', BLOCK);
    block = { pointer, base: koffi.address(pointer), view: new DataView(koffi.view(pointer, BLOCK)) };
  }
  const { base, view } = block;
  for (let i = 0; i < BLOCK; i++) view.setUint8(i, 0);
  view.setBigUint64(MSG + 16, base + BigInt(IOV), true);
  view.setBigUint64(MSG + 24, 1n, true);
  view.setBigUint64(MSG + 32, base + BigInt(CMSG), true);
  view.setBigUint64(MSG + 40, BigInt(CMSG_HEADER + MAX_FDS * 4), true);
  view.setBigUint64(IOV, base + BigInt(BYTE), true);
  view.setBigUint64(IOV + 8, 1n, true);
  view.setBigUint64(CMSG, BigInt(CMSG_HEADER + fdCount * 4), true);
  view.setInt32(CMSG + 8, SOL_SOCKET, true);
  view.setInt32(CMSG + 12, SCM_RIGHTS, true);
  return { pointer: block.pointer, view };
}

export class FdPassingError extends Error {
  override name = 'FdPassingError';
}

/**
 * One sendmsg of `fds` (1 to 4) in an SCM_RIGHTS message whose one data byte
 * is `payload`; returns what sendmsg returned (-1: errno is still the call's).
 */
export function sendRightsMessage(through: number, fds: number[], flags: number, payload = 0): number {
  if (fds.length < 1 || fds.length > MAX_FDS) throw new FdPassingError(`can pass 1 to ${MAX_FDS} descriptors, not ${fds.length}`);
  const { pointer, view } = message(fds.length);
  /* controllen is CMSG_SPACE(4 * n): the header and the ints, padded to 8 bytes */
  view.setBigUint64(MSG + 40, BigInt(CMSG_HEADER + Math.ceil((fds.length * 4) / 8) * 8), true);
  fds.forEach((fd, i) => view.setInt32(CMSG + CMSG_HEADER + i * 4, fd, true));
  view.setUint8(BYTE, payload);
  return sendmsg(through, pointer, flags);
}

/** Sends `fds` (1 to 4) as one message on the socket `through`; the receiver gets its own duplicates. */
export function sendFds(through: number, fds: number[]): void {
  if (sendRightsMessage(through, fds, MSG_DONTWAIT) < 0) throw new FdPassingError(`sendmsg failed: ${errnoName(lastErrno())}`);
}

/** What one recvmsg returned: the data bytes (0: end of stream; -1: errno is still the call's), the descriptors and msg_flags. */
export interface RightsMessage {
  got: number;
  fds: number[];
  payload: number;
  msgFlags: number;
}

/**
 * One recvmsg on `from` with room for 1 data byte and 4 descriptors, which
 * arrive close-on-exec (MSG_CMSG_CLOEXEC). `flags` without MSG_DONTWAIT sleeps
 * while nothing is queued.
 */
export function receiveRightsMessage(from: number, flags: number): RightsMessage {
  const { pointer, view } = message(0);
  const got = recvmsg(from, pointer, flags | MSG_CMSG_CLOEXEC);
  if (got < 0) return { got, fds: [], payload: 0, msgFlags: 0 };
  const msgFlags = view.getInt32(MSG + 48, true);
  const payload = view.getUint8(BYTE);
  const controlLength = Number(view.getBigUint64(MSG + 40, true));
  if (controlLength < CMSG_HEADER) return { got, fds: [], payload, msgFlags };
  if (view.getInt32(CMSG + 8, true) !== SOL_SOCKET || view.getInt32(CMSG + 12, true) !== SCM_RIGHTS) return { got, fds: [], payload, msgFlags };
  const count = (Number(view.getBigUint64(CMSG, true)) - CMSG_HEADER) / 4;
  const fds = Array.from({ length: count }, (_, i) => view.getInt32(CMSG + CMSG_HEADER + i * 4, true));
  return { got, fds, payload, msgFlags };
}

/** The descriptors of the next message waiting on `from` (close-on-exec); [] when none is waiting. */
export function receiveFds(from: number): number[] {
  const { got, fds } = receiveRightsMessage(from, MSG_DONTWAIT);
  if (got < 0) {
    const errno = lastErrno();
    if (errno === 11) return []; /* EAGAIN: nothing was sent */
    throw new FdPassingError(`recvmsg failed: ${errnoName(errno)}`);
  }
  return fds;
}

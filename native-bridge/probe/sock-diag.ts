/**
 * NETLINK_SOCK_DIAG plumbing shared by the Unix and inet socket probes: one
 * netlink socket kept for the life of the process (opening one per request
 * cost more than the query itself at 60 Hz), a big receive buffer, replies
 * matched by sequence number and parsed in place
 * with a DataView over the buffer koffi filled (KERNEL-FACTS: a dump of 2002
 * Unix sockets in 2-5 ms against 8-12 ms for `ss -xpa`).
 */
import { EINTR } from '../libc/errno';
import { SyscallError, closeFd, lastErrno } from '../libc/libc';
import {
  AF_NETLINK,
  NETLINK_SOCK_DIAG,
  SOCK_DGRAM,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  netlinkKernelAddress,
  openSocket,
  sock,
} from '../libc/sockets';

/* linux/sock_diag.h */
const SOCK_DIAG_BY_FAMILY = 20;
/* linux/netlink.h */
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300; /* NLM_F_ROOT | NLM_F_MATCH */
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLMSG_HDRLEN = 16;
/* Netlink caps one dump datagram near 32 KiB (max_recvmsg_len); twice that never truncates. */
const RECV_BYTES = 65536;
const RCVBUF_BYTES = 1 << 20;

let recvBuffer: Buffer | null = null;
let sequence = 1;
let diagSocket = -1;

function netlinkSocket(): number {
  if (diagSocket >= 0) return diagSocket;
  const fd = openSocket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
  const size = new Int32Array([RCVBUF_BYTES]);
  /* SO_RCVBUFFORCE passes rmem_max when we may (root); else the capped SO_RCVBUF */
  if (sock.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) < 0) sock.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
  diagSocket = fd;
  return fd;
}

/** Closes the kept netlink socket (the next request opens a new one). */
function closeSockDiag(): void {
  if (diagSocket >= 0) closeFd(diagSocket);
  diagSocket = -1;
}

/** One reply message: its payload is view[offset, end). */
type DiagMessageHandler = (view: DataView, offset: number, end: number) => void;

/** Writes nlmsghdr + request body into one buffer. */
function buildRequest(body: Uint8Array, dump: boolean, seq: number): Uint8Array {
  const out = new Uint8Array(NLMSG_HDRLEN + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length, true);
  view.setUint16(4, SOCK_DIAG_BY_FAMILY, true);
  view.setUint16(6, NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0), true);
  view.setUint32(8, seq, true);
  view.setUint32(12, 0, true);
  out.set(body, NLMSG_HDRLEN);
  return out;
}

/**
 * Sends one SOCK_DIAG_BY_FAMILY request and hands every reply payload to
 * `onMessage`. A dump ends at NLMSG_DONE; a single-socket query ends after
 * its one reply. Returns the number of messages; throws SyscallError on a
 * netlink error other than ENOENT (a single socket that vanished: 0 messages).
 */
export function sockDiagRequest(body: Uint8Array, dump: boolean, onMessage: DiagMessageHandler): number {
  const fd = netlinkSocket();
  try {
    const seq = sequence++ & 0x7fffffff;
    const request = buildRequest(body, dump, seq);
    const kernel = netlinkKernelAddress();
    if (sock.sendto(fd, request, request.length, 0, kernel.bytes, kernel.length) < 0) throw new SyscallError('sendto(netlink)', lastErrno());
    recvBuffer ??= Buffer.alloc(RECV_BYTES);
    const buf = recvBuffer;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let count = 0;
    for (;;) {
      const n = sock.recv(fd, buf, RECV_BYTES, 0);
      if (n < 0 && lastErrno() === EINTR) continue;
      if (n < 0) throw new SyscallError('recv(netlink)', lastErrno());
      if (n === 0) return count;
      let off = 0;
      while (off + NLMSG_HDRLEN <= n) {
        const len = view.getUint32(off, true);
        const type = view.getUint16(off + 4, true);
        if (len < NLMSG_HDRLEN || off + len > n) return count;
        /* a reply left over from an interrupted earlier request: skip it */
        if (view.getUint32(off + 8, true) !== seq) {
          off += align4(len);
          continue;
        }
        if (type === NLMSG_DONE) return count;
        if (type === NLMSG_ERROR) {
          const errno = -view.getInt32(off + NLMSG_HDRLEN, true);
          if (errno === 0 || errno === 2 /* ENOENT: no such socket */) return count;
          throw new SyscallError('sock_diag', errno);
        }
        onMessage(view, off + NLMSG_HDRLEN, off + len);
        count++;
        off += align4(len);
      }
      if (!dump && count > 0) return count;
    }
  } catch (error) {
    closeSockDiag(); // start the next request on a clean socket
    throw error;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Walks the rtattr list ({u16 len, u16 type} then payload, 4-aligned) in view[offset, end). */
export function forEachAttribute(view: DataView, offset: number, end: number, visit: (type: number, offset: number, length: number) => void): void {
  let off = offset;
  while (off + 4 <= end) {
    const len = view.getUint16(off, true);
    if (len < 4 || off + len > end) return;
    visit(view.getUint16(off + 2, true), off + 4, len - 4);
    off += align4(len);
  }
}

/* TCP state numbers (include/net/tcp_states.h), named as `ss` prints them; Unix sockets reuse them. */
const STATE_NAMES: Record<number, string> = {
  1: 'ESTAB',
  2: 'SYN-SENT',
  3: 'SYN-RECV',
  4: 'FIN-WAIT-1',
  5: 'FIN-WAIT-2',
  6: 'TIME-WAIT',
  7: 'UNCONN',
  8: 'CLOSE-WAIT',
  9: 'LAST-ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW-SYN-RECV',
};

export const TCP_ESTABLISHED = 1;
export const TCP_CLOSE = 7;
export const TCP_LISTEN = 10;

export function stateName(state: number): string {
  return STATE_NAMES[state] ?? `state ${state}`;
}

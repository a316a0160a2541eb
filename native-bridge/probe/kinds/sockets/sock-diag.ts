/**
 * NETLINK_SOCK_DIAG plumbing shared by the Unix and inet socket probes: one
 * netlink socket kept for the life of the process (opening one per request
 * cost more than the query itself at 60 Hz), a big receive buffer, replies
 * matched by sequence number and parsed in place
 * with a DataView over the buffer koffi filled (KERNEL-FACTS: a dump of 2002
 * Unix sockets in 2-5 ms against 8-12 ms for `ss -xpa`).
 */
import { EINTR } from '../../../libc/errno';
import { SyscallError, closeFd, lastErrno } from '../../../libc/libc';
import {
  AF_NETLINK,
  MSG_DONTWAIT,
  NETLINK_SOCK_DIAG,
  SOCK_DGRAM,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  netlinkKernelAddress,
  openSocket,
  sock,
  type SockAddr,
} from '../../../libc/sockets';

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
let recvView: DataView | null = null;
/* a batch of queries is written in place here (see sockDiagQueries) */
let requestBuffer: Uint8Array | null = null;
let requestView: DataView | null = null;
let kernelAddress: SockAddr | null = null;
let sequence = 1;
let diagSocket = -1;
const ENOENT = 2;

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
    sendToKernel(fd, request, request.length);
    const buf = receiveBuffer();
    const view = recvView!;
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
          if (errno === 0 || errno === ENOENT /* no such socket */) return count;
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

/** Writes the body of query `index` (bodyBytes long) at `offset` of `view`. */
type QueryWriter = (index: number, view: DataView, offset: number) => void;
/** The reply to query `index`: its payload is view[offset, end). */
type QueryReplyHandler = (index: number, view: DataView, offset: number, end: number) => void;
/** The kernel refused query `index` with `errno` (EINVAL for an inode it will not look up): the others still answer. */
type QueryErrorHandler = (index: number, errno: number) => void;

/**
 * Sends `count` single-socket queries (SOCK_DIAG_BY_FAMILY without DUMP), each
 * body written in place by `writeBody`, as the messages of one datagram (up to
 * QUERIES_PER_DATAGRAM each), and hands each reply to `onReply`; a socket the
 * kernel no longer has (ENOENT) gets no call. The kernel answers every message
 * of a datagram in turn within that one sendto (netlink_rcv_skb walks them
 * all), so N sockets cost one sendto and N receives instead of N of each, and
 * nothing is built per query. Each message is answered on its own: a query
 * the kernel refuses (any error but ENOENT) goes to `onError` and the rest of
 * the batch is still read; without `onError` it throws SyscallError.
 */
export function sockDiagQueries(count: number, bodyBytes: number, writeBody: QueryWriter, onReply: QueryReplyHandler, onError?: QueryErrorHandler): void {
  for (let start = 0; start < count; start += QUERIES_PER_DATAGRAM) {
    queryChunk(start, Math.min(QUERIES_PER_DATAGRAM, count - start), bodyBytes, writeBody, onReply, onError);
  }
}

/*
 * Replies wait in the receive buffer until read: a few hundred bytes of
 * truesize each, so a datagram asks at most this many (far below what even a
 * capped SO_RCVBUF holds) and a listener's many pending clients take several.
 */
const QUERIES_PER_DATAGRAM = 64;

/** Queries start .. start + count - 1, in one datagram. */
function queryChunk(
  start: number,
  count: number,
  bodyBytes: number,
  writeBody: QueryWriter,
  onReply: QueryReplyHandler,
  onError: QueryErrorHandler | undefined,
): void {
  const fd = netlinkSocket();
  try {
    const messageBytes = NLMSG_HDRLEN + align4(bodyBytes);
    const total = messageBytes * count;
    if (!requestBuffer || requestBuffer.length < total) {
      requestBuffer = new Uint8Array(Math.max(total, 1024));
      requestView = new DataView(requestBuffer.buffer);
    }
    const request = requestView!;
    if (sequence + count > 0x7fffffff) sequence = 1;
    const first = sequence;
    sequence += count;
    for (let i = 0; i < count; i++) {
      const at = i * messageBytes;
      request.setUint32(at, messageBytes, true);
      request.setUint16(at + 4, SOCK_DIAG_BY_FAMILY, true);
      request.setUint16(at + 6, NLM_F_REQUEST, true);
      request.setUint32(at + 8, first + i, true);
      request.setUint32(at + 12, 0, true);
      writeBody(start + i, request, at + NLMSG_HDRLEN);
    }
    sendToKernel(fd, requestBuffer, total);
    const buf = receiveBuffer();
    const view = recvView!;
    let answered = 0;
    while (answered < count) {
      // every reply was queued during the sendto: nothing to wait for (EAGAIN means one was lost)
      const n = sock.recv(fd, buf, RECV_BYTES, MSG_DONTWAIT);
      if (n < 0 && lastErrno() === EINTR) continue;
      if (n < 0) throw new SyscallError('recv(netlink)', lastErrno());
      if (n === 0) throw new Error('sock_diag: empty reply');
      let off = 0;
      while (off + NLMSG_HDRLEN <= n) {
        const len = view.getUint32(off, true);
        if (len < NLMSG_HDRLEN || off + len > n) break;
        const index = view.getUint32(off + 8, true) - first;
        /* a reply left over from an interrupted earlier request has another sequence number: skipped */
        if (index >= 0 && index < count) {
          answered++;
          const type = view.getUint16(off + 4, true);
          if (type === NLMSG_ERROR) {
            const errno = -view.getInt32(off + NLMSG_HDRLEN, true);
            if (errno !== 0 && errno !== ENOENT) {
              if (!onError) throw new SyscallError('sock_diag', errno);
              onError(start + index, errno);
            }
          } else if (type !== NLMSG_DONE) {
            onReply(start + index, view, off + NLMSG_HDRLEN, off + len);
          }
        }
        off += align4(len);
      }
    }
  } catch (error) {
    closeSockDiag(); // start the next request on a clean socket
    throw error;
  }
}

function sendToKernel(fd: number, request: Uint8Array, length: number): void {
  kernelAddress ??= netlinkKernelAddress();
  if (sock.sendto(fd, request, length, 0, kernelAddress.bytes, kernelAddress.length) < 0) throw new SyscallError('sendto(netlink)', lastErrno());
}

function receiveBuffer(): Buffer {
  if (!recvBuffer) {
    recvBuffer = Buffer.alloc(RECV_BYTES);
    recvView = new DataView(recvBuffer.buffer, recvBuffer.byteOffset, recvBuffer.byteLength);
  }
  return recvBuffer;
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

/**
 * Copies bytes queued on a socket without consuming them: pidfd_getfd the
 * socket out of a process that holds it, recv(MSG_PEEK | MSG_DONTWAIT), close
 * the duplicate at once (KERNEL-FACTS: the owner still reads everything).
 * The duplicate shares the open file description, so it adds no reader; it
 * only keeps the socket alive while held, which is why it lives microseconds.
 */
import { MSG_DONTWAIT, MSG_PEEK, SOL_SOCKET, SO_PEEK_OFF, sock } from '../../../libc/sockets';
import { borrowOnce, type DescriptorBorrower } from '../../process/pidfd';
import { MAX_PEEK_BYTES, type HolderRef } from '../../probe-types';

/* Reused by every peek (a watch tick peeks each socket with queued bytes): the option word, its length, the bytes. */
const peekOffset = new Int32Array(1);
const optionLength = new Uint32Array(1);
const peeked = Buffer.alloc(MAX_PEEK_BYTES);

/**
 * Peeks up to `n` bytes of the socket `dup` into `peeked`: how many (0 when
 * nothing is queued), or -1 when peeking would change what the owner sees
 * (SO_PEEK_OFF enabled: MSG_PEEK then moves the owner's peek offset).
 */
function peekInto(dup: number, n: number): number {
  optionLength[0] = 4;
  if (sock.getsockoptInt(dup, SOL_SOCKET, SO_PEEK_OFF, peekOffset, optionLength) < 0 || peekOffset[0]! >= 0) return -1;
  const got = sock.recv(dup, peeked, n, MSG_PEEK | MSG_DONTWAIT);
  /* EAGAIN: nothing queued */
  return got < 0 ? 0 : got;
}

function peekLength(maxBytes: number): number {
  return Math.max(0, Math.min(maxBytes, MAX_PEEK_BYTES));
}

/**
 * Up to `maxBytes` bytes from the head of the receive queue of descriptor
 * `fd` in process `pid`: an empty buffer when nothing is queued, null when
 * the socket could not be reached (process gone, no ptrace access) or when
 * peeking would change what the owner sees (SO_PEEK_OFF enabled).
 */
export function peekSocket(pid: number, fd: number, maxBytes: number, borrow: DescriptorBorrower = borrowOnce): Buffer | null {
  const n = peekLength(maxBytes);
  return borrow(pid, fd, (dup) => {
    const got = peekInto(dup, n);
    return got < 0 ? null : Buffer.from(peeked.subarray(0, got));
  });
}

/** Peeks through the first holder that can be reached; base64, or null. */
export function peekHeldSocket(holders: HolderRef[], maxBytes: number, borrow: DescriptorBorrower = borrowOnce): string | null {
  if (maxBytes <= 0) return null;
  const n = peekLength(maxBytes);
  for (const holder of holders) {
    const base64 = borrow(holder.pid, holder.fd, (dup) => {
      const got = peekInto(dup, n);
      return got < 0 ? null : peeked.toString('base64', 0, got);
    });
    if (base64 !== null) return base64;
  }
  return null;
}

/**
 * Copies bytes queued on a socket without consuming them: pidfd_getfd the
 * socket out of a process that holds it, recv(MSG_PEEK | MSG_DONTWAIT), close
 * the duplicate at once (KERNEL-FACTS: the owner still reads everything).
 * The duplicate shares the open file description, so it adds no reader; it
 * only keeps the socket alive while held, which is why it lives microseconds.
 */
import { MSG_DONTWAIT, MSG_PEEK, SOL_SOCKET, SO_PEEK_OFF, getIntOption, sock } from '../libc/sockets';
import { borrowOnce, type DescriptorBorrower } from './pidfd';
import { MAX_PEEK_BYTES, type HolderRef } from './probe-types';



/**
 * Up to `maxBytes` bytes from the head of the receive queue of descriptor
 * `fd` in process `pid`: an empty buffer when nothing is queued, null when
 * the socket could not be reached (process gone, no ptrace access) or when
 * peeking would change what the owner sees (SO_PEEK_OFF enabled: MSG_PEEK
 * then moves the owner's peek offset).
 */
export function peekSocket(pid: number, fd: number, maxBytes: number, borrow: DescriptorBorrower = borrowOnce): Buffer | null {
  const n = Math.max(0, Math.min(maxBytes, MAX_PEEK_BYTES));
  return borrow(pid, fd, (dup) => {
    const peekOffset = getIntOption(dup, SOL_SOCKET, SO_PEEK_OFF);
    if (peekOffset === null || peekOffset >= 0) return null;
    const buf = Buffer.alloc(n);
    const got = sock.recv(dup, buf, n, MSG_PEEK | MSG_DONTWAIT);
    /* EAGAIN: nothing queued */
    return got < 0 ? Buffer.alloc(0) : buf.subarray(0, got);
  });
}

/** Peeks through the first holder that can be reached; base64, or null. */
export function peekHeldSocket(holders: HolderRef[], maxBytes: number, borrow: DescriptorBorrower = borrowOnce): string | null {
  if (maxBytes <= 0) return null;
  for (const holder of holders) {
    const bytes = peekSocket(holder.pid, holder.fd, maxBytes, borrow);
    if (bytes !== null) return bytes.toString('base64');
  }
  return null;
}

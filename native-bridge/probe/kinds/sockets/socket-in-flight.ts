/**
 * Descriptors in flight in a Unix socket's receive queue: files sent with
 * SCM_RIGHTS that nobody has received yet. The kernel counts them in the
 * socket's fdinfo (`scm_fds: N`, Linux 5.6+; for a stream socket only once
 * connected). It does not say which files they are: receiving them (even
 * with MSG_PEEK) would install them in the observer, so the probe only counts.
 */
import { readFileSync } from 'node:fs';
import type { HolderRef } from '../../probe-types';

/** `scm_fds` of the socket through the first holder whose fdinfo can be read; null when none shows the line. */
export function inFlightFds(holders: readonly HolderRef[]): number | null {
  for (const { pid, fd } of holders) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
    } catch {
      continue;
    }
    const m = /^scm_fds:\s+(\d+)$/m.exec(info);
    return m ? Number(m[1]) : null;
  }
  return null;
}

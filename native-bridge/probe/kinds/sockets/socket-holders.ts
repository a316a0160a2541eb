/**
 * Which socket inodes the scanned processes hold, and who holds each one:
 * the link between the process scan ("socket:[991]" descriptors) and the
 * sock_diag dumps (inodes).
 */
import type { Holder } from '../../../model/snapshot-types';
import type { HolderRef, ProbeContext } from '../../probe-types';

export function socketTarget(inode: number): string {
  return `socket:[${inode}]`;
}

/** Whether a descriptor target names a socket ("socket:[991]"). */
export function isSocketTarget(target: string): boolean {
  return target.startsWith('socket:[');
}

/** The held sockets of each holders index a probe was given (a Sampler hands one index out again while no descriptor changed). */
const heldByIndex = new WeakMap<ProbeContext['holdersByTarget'], ReadonlySet<number>>();

/**
 * Inodes of every socket some scanned process holds. The scan already parsed
 * each "socket:[N]" into ScannedFd.inode; a socket probe calls this once per
 * collect and passes the set on. Worked out once per holders index: the Unix
 * and inet probes of one tick, and the ticks that reuse the index, share it.
 */
export function heldSocketInodes(ctx: ProbeContext): ReadonlySet<number> {
  const known = heldByIndex.get(ctx.holdersByTarget);
  if (known) return known;
  const inodes = new Set<number>();
  for (const [target, holders] of ctx.holdersByTarget) {
    const inode = holders[0]?.scanned.inode;
    if (inode != null && target.startsWith('socket:[')) inodes.add(inode);
  }
  heldByIndex.set(ctx.holdersByTarget, inodes);
  return inodes;
}

export function holderRefsOf(ctx: ProbeContext, inode: number): HolderRef[] {
  return ctx.holdersByTarget.get(socketTarget(inode)) ?? [];
}

export function holdersOf(ctx: ProbeContext, inode: number): Holder[] {
  return holderRefsOf(ctx, inode).map((h) => ({ pid: h.pid, fd: h.fd, access: h.access }));
}

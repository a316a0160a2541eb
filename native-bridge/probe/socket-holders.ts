/**
 * Which socket inodes the scanned processes hold, and who holds each one:
 * the link between the process scan ("socket:[991]" descriptors) and the
 * sock_diag dumps (inodes).
 */
import type { Holder } from '../model/snapshot-types';
import type { HolderRef, ProbeContext } from './probe-types';

export function socketTarget(inode: number): string {
  return `socket:[${inode}]`;
}

/**
 * Inodes of every socket some scanned process holds. The scan already parsed
 * each "socket:[N]" into ScannedFd.inode; a socket probe calls this once per
 * collect and passes the set on.
 */
export function heldSocketInodes(ctx: ProbeContext): Set<number> {
  const inodes = new Set<number>();
  for (const [target, holders] of ctx.holdersByTarget) {
    const inode = holders[0]?.scanned.inode;
    if (inode != null && target.startsWith('socket:[')) inodes.add(inode);
  }
  return inodes;
}

export function holderRefsOf(ctx: ProbeContext, inode: number): HolderRef[] {
  return ctx.holdersByTarget.get(socketTarget(inode)) ?? [];
}

export function holdersOf(ctx: ProbeContext, inode: number): Holder[] {
  return holderRefsOf(ctx, inode).map((h) => ({ pid: h.pid, fd: h.fd, access: h.access }));
}

/**
 * Which socket inodes the scanned processes hold, and who holds each one:
 * the link between the process scan ("socket:[991]" descriptors) and the
 * sock_diag dumps (inodes).
 */
import type { Holder } from '../model/snapshot-types';
import type { HolderRef, ProbeContext } from './probe-types';

const SOCKET_TARGET = /^socket:\[(\d+)\]$/;

export function socketTarget(inode: number): string {
  return `socket:[${inode}]`;
}

/** Inodes of every socket some scanned process holds. */
export function heldSocketInodes(ctx: ProbeContext): Set<number> {
  const inodes = new Set<number>();
  for (const target of ctx.holdersByTarget.keys()) {
    const m = SOCKET_TARGET.exec(target);
    if (m) inodes.add(Number(m[1]));
  }
  return inodes;
}

export function holderRefsOf(ctx: ProbeContext, inode: number): HolderRef[] {
  return ctx.holdersByTarget.get(socketTarget(inode)) ?? [];
}

export function holdersOf(ctx: ProbeContext, inode: number): Holder[] {
  return holderRefsOf(ctx, inode).map((h) => ({ pid: h.pid, fd: h.fd, access: h.access }));
}

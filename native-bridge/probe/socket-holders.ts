/**
 * Which socket inodes the scanned processes hold, and who holds each one:
 * the link between the process scan ("socket:[991]" descriptors) and the
 * sock_diag dumps (inodes).
 */
import type { Holder, IpcObject } from '../model/snapshot-types';
import { listDirectory, lstatMode, readLink } from './fast-fs';
import { accessFromLinkMode } from './fd-table';
import type { HolderRef, ProbeContext } from './probe-types';
import { listAllPids } from './scope';

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

/**
 * For a PID-scoped snapshot: the holders of sockets no scanned process holds
 * (the far end of a connection lives in another process, with its own inode,
 * so the usual "other holders of the same target" search never finds it).
 * Reads only descriptor links of the processes not in `scanned`: one pass
 * over /proc, as costly as that search (~2-3 ms on an idle machine). The
 * probe core calls it when it completes holders; it fills `holders` in place
 * for unix/tcp/udp objects that have none and returns how many it filled.
 */
export function fillSocketPeerHolders(objects: IpcObject[], scanned: Set<number>): number {
  const orphans = new Map<string, IpcObject>();
  for (const o of objects) {
    if ((o.kind === 'unix' || o.kind === 'tcp' || o.kind === 'udp') && o.holders.length === 0) orphans.set(socketTarget(o.inode), o);
  }
  if (orphans.size === 0) return 0;
  const filled = new Set<IpcObject>();
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    const dir = `/proc/${pid}/fd`;
    for (const name of listDirectory(dir) ?? []) {
      const link = `${dir}/${name}`;
      const target = readLink(link);
      if (target === null || !target.startsWith('socket:')) continue;
      const object = orphans.get(target);
      if (!object) continue;
      const mode = lstatMode(link);
      if (mode === null) continue;
      object.holders.push({ pid, fd: Number(name), access: accessFromLinkMode(mode) });
      filled.add(object);
    }
  }
  return filled.size;
}

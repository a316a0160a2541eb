/**
 * The holders index of a Sampler: descriptor target -> the processes holding
 * it, built again only when a descriptor list or the other-holders search
 * changed, and what that index lets the Sampler skip (probes that reach
 * nothing held, holders of peer sockets outside the scope).
 */
import type { Holder, IpcObject } from '../model/snapshot-types';
import { isIpcCandidate } from './process/fd-table';
import type { OtherHolderCache } from './process/holder-search';
import type { ReadBudget } from './process/table-budget';
import type { ScannedProcessWithExtras } from './process/process-scan';
import type { HolderRef, KindProbe, ProbeContext, ScannedFd } from './probe-types';

/** The holders index of the latest sample, and what it was built from (see HoldersIndexCache.holdersIndex). */
interface HoldersIndex {
  /** Each scanned process's descriptor list, in scan order: the same arrays hold the same descriptors. */
  fdLists: ScannedFd[][];
  /** The targets the scanned processes hold: what the search for other holders is asked. */
  held: Set<string>;
  /** The search's answer merged in (OtherHolderCache keeps one Map per search), null when none was. */
  extra: ReadonlyMap<string, Holder[]> | null;
  holdersByTarget: Map<string, HolderRef[]>;
}

export class HoldersIndexCache {
  private index: HoldersIndex | null = null;
  /** For each probe that says what it reaches: whether the targets of a holders index include any. */
  private readonly reach = new Map<KindProbe, { index: Map<string, HolderRef[]>; any: boolean }>();

  forget(): void {
    this.index = null;
  }

  /**
   * Descriptor target -> holders over the scanned processes, with the other
   * holders `search` found. Built again only when some process's descriptor
   * list (by identity) or the search's answer changed: between descriptor-table
   * refreshes a watch tick gets the index of the previous one, built from the
   * very same descriptors, and the same Map object.
   */
  holdersIndex(
    processes: Map<number, ScannedProcessWithExtras>,
    search: OtherHolderCache | null,
    scanned: Set<number>,
    now: number,
    budget?: ReadBudget,
  ): Map<string, HolderRef[]> {
    let index = this.index;
    let built = false;
    if (!index || !sameDescriptorLists(index.fdLists, processes)) {
      const holdersByTarget = indexHolders(processes);
      const fdLists: ScannedFd[][] = [];
      for (const proc of processes.values()) if (proc.fds.length > 0) fdLists.push(proc.fds);
      index = { fdLists, held: new Set(holdersByTarget.keys()), extra: null, holdersByTarget };
      built = true;
    }
    const extra = search ? search.lookup(index.held, scanned, now, budget) : null;
    if (index.extra !== extra) {
      // an index another answer was merged into holds those holders: start again from the descriptors
      const holdersByTarget = built ? index.holdersByTarget : indexHolders(processes);
      if (extra) mergeOtherHolders(holdersByTarget, extra);
      index = { ...index, extra, holdersByTarget };
    }
    this.index = index;
    return index.holdersByTarget;
  }

  /**
   * Whether the scanned processes hold or map anything `probe` reaches (always
   * true for the whole machine or a probe that does not say what it reaches).
   */
  mayReach(probe: KindProbe, ctx: ProbeContext): boolean {
    const reaches = probe.reaches;
    if (ctx.wholeMachine || !reaches) return true;
    let held = this.reach.get(probe);
    if (held?.index !== ctx.holdersByTarget) {
      held = { index: ctx.holdersByTarget, any: false };
      for (const target of ctx.holdersByTarget.keys()) if (reaches(target)) held.any = true;
      this.reach.set(probe, held);
    }
    if (held.any) return true;
    for (const proc of ctx.processes.values()) for (const entry of proc.maps ?? []) if (reaches(entry.path)) return true;
    return false;
  }
}

/**
 * The far end of a socket has its own inode, held by a process we did not
 * scan: find the holders of such peer sockets (cached like the search above).
 */
export function fillPeerHolders(objects: IpcObject[], peerHolders: OtherHolderCache, scanned: Set<number>, now: number, budget?: ReadBudget): void {
  const orphans = new Map<string, IpcObject>();
  for (const object of objects) {
    if ((object.kind === 'unix' || object.kind === 'tcp' || object.kind === 'udp') && object.holders.length === 0) {
      orphans.set(`socket:[${object.inode}]`, object);
    }
  }
  if (orphans.size === 0) return;
  const found = peerHolders.lookup(new Set(orphans.keys()), scanned, now, budget);
  for (const [target, holders] of found) orphans.get(target)?.holders.push(...holders);
}

/** Other holders (found outside the scanned processes) added to the targets they hold, described like the first known holder. */
function mergeOtherHolders(holdersByTarget: Map<string, HolderRef[]>, extra: ReadonlyMap<string, Holder[]>): void {
  for (const [target, holders] of extra) {
    const known = holdersByTarget.get(target);
    const template = known?.[0]?.scanned;
    if (!known || !template) continue;
    for (const h of holders) known.push({ ...h, scanned: { ...template, fd: h.fd, access: h.access } });
  }
}

/**
 * Whether the processes holding descriptors are those of `fdLists`, each with
 * the very same list. A process with none (a kernel thread; on the whole
 * machine, any process holding nothing that can be IPC) changes no holder:
 * kworkers come and go at most ticks of a whole-machine watch, and counting
 * them rebuilt the index, and re-read every kernel-wide source, at each one.
 */
function sameDescriptorLists(fdLists: ScannedFd[][], processes: Map<number, ScannedProcessWithExtras>): boolean {
  let i = 0;
  for (const proc of processes.values()) {
    if (proc.fds.length === 0) continue;
    if (fdLists[i++] !== proc.fds) return false;
  }
  return i === fdLists.length;
}

/** Descriptor target -> holders, for targets that can be IPC objects. */
function indexHolders(processes: Map<number, ScannedProcessWithExtras>): Map<string, HolderRef[]> {
  const index = new Map<string, HolderRef[]>();
  for (const proc of processes.values()) {
    for (const fd of proc.fds) {
      if (!isIpcCandidate(fd)) continue;
      const list = index.get(fd.target);
      const ref = { pid: proc.pid, fd: fd.fd, access: fd.access, scanned: fd };
      if (list) list.push(ref);
      else index.set(fd.target, [ref]);
    }
  }
  return index;
}

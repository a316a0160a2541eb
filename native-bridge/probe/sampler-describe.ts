/** A scanned process described for the Snapshot: its descriptors named by object id, its blocked-on edge, its mappings. */
import type { FdEntry, ProcessInfo } from '../model/snapshot-types';
import { classifyBlocked } from './blocked/blocked';
import { posixShmName } from './kinds/posix-shm';
import type { ScannedProcessWithExtras } from './process/process-scan';
import type { ScannedFd } from './probe-types';

export function describeProcess(proc: ScannedProcessWithExtras, objectOfTarget: Map<string, string>, waitsOn: string | null): ProcessInfo {
  const fds: FdEntry[] = proc.fds.map((fd) => ({
    fd: fd.fd,
    object: objectOfTarget.get(fd.target) ?? fallbackObjectId(fd),
    access: fd.access,
    target: fd.target,
  }));
  const info: ProcessInfo = {
    pid: proc.pid,
    ppid: proc.ppid,
    comm: proc.comm,
    state: proc.state,
    // asked at most once, and only for a process asleep on a descriptor: no index worth building
    blocked: classifyBlocked(proc, (fd) => fds.find((entry) => entry.fd === fd)?.object ?? null, waitsOn),
    fds,
    readable: proc.readable,
  };
  const maps = proc.maps ? mappedObjectIds(proc.maps) : [];
  if (maps.length > 0) info.maps = maps;
  if (proc.signals) info.signals = proc.signals;
  if (proc.uid !== null) info.uid = proc.uid;
  if (proc.error) info.error = proc.error;
  if (proc.io) info.io = proc.io;
  return info;
}

function mappedObjectIds(maps: NonNullable<ScannedProcessWithExtras['maps']>): string[] {
  const ids = new Set<string>();
  for (const entry of maps) {
    if (entry.path.startsWith('/SYSV')) ids.add(`shm:${entry.inode}`);
    else {
      const name = posixShmName(entry.path);
      if (name !== null) ids.add(`posix_shm:${name}`);
    }
  }
  return [...ids];
}

function fallbackObjectId(fd: ScannedFd): string {
  if (fd.target.startsWith('/')) return `file:${fd.target}`;
  return `other:${fd.target}`;
}

/**
 * The descriptions of the previous sample, handed out again for a process
 * whose scan is the very same object (it has not run: Sampler reuses the
 * scan) while its wait and every descriptor target's object id are as they
 * were. Describing names each descriptor: with a thousand workers that each
 * hold the write ends of their elder siblings' pipes (process-pool `keeps`,
 * ~500,000 descriptors) that is most of a frame, for a picture that has not
 * changed. The id of every target is compared once per sample (a few thousand
 * entries), not once per descriptor.
 */
export class ProcessDescriptions {
  private lastTargets: Map<string, string> | null = null;
  private last = new Map<number, { scan: ScannedProcessWithExtras; waitsOn: string | null; info: ProcessInfo }>();

  describeAll(processes: Iterable<ScannedProcessWithExtras>, objectOfTarget: Map<string, string>, waits: Map<number, string>): ProcessInfo[] {
    const sameTargets = this.lastTargets !== null && sameEntries(this.lastTargets, objectOfTarget);
    const next = new Map<number, { scan: ScannedProcessWithExtras; waitsOn: string | null; info: ProcessInfo }>();
    const infos: ProcessInfo[] = [];
    for (const proc of processes) {
      const waitsOn = waits.get(proc.pid) ?? null;
      const before = this.last.get(proc.pid);
      const info = sameTargets && before?.scan === proc && before.waitsOn === waitsOn ? before.info : describeProcess(proc, objectOfTarget, waitsOn);
      next.set(proc.pid, { scan: proc, waitsOn, info });
      infos.push(info);
    }
    this.last = next;
    this.lastTargets = objectOfTarget;
    return infos;
  }

  forget(): void {
    this.last.clear();
    this.lastTargets = null;
  }
}

function sameEntries(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

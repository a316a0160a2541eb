/** A scanned process described for the Snapshot: its descriptors named by object id, its blocked-on edge, its mappings. */
import type { FdEntry, ProcessInfo } from '../model/snapshot-types';
import { classifyBlocked } from './blocked/blocked';
import { posixShmName } from './kinds/posix/posix-shm';
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
  if (proc.fdsUnread) info.fdsUnread = true;
  return info;
}

const NONE: ReadonlyMap<number, number> = new Map();

/** `info` saying when its state was last confirmed (undefined: at this frame); a copy when that differs. */
function withCheckedAt(info: ProcessInfo, at: number | undefined): ProcessInfo {
  if (info.checkedAt === at) return info;
  const copy = { ...info };
  if (at === undefined) delete copy.checkedAt;
  else copy.checkedAt = at;
  return copy;
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
  return fallbackObjectIdOf(fd.target);
}

function fallbackObjectIdOf(target: string): string {
  if (target.startsWith('/')) return `file:${target}`;
  return `other:${target}`;
}

/**
 * The descriptions of the previous sample, handed out again for a process
 * whose scan is the very same object (it has not run: Sampler reuses the
 * scan) while its wait and every descriptor target's object id are as they
 * were. Describing names each descriptor: with a thousand workers that each
 * hold the write ends of their elder siblings' pipes (process-pool `keeps`,
 * ~500,000 descriptors) that is most of a frame, for a picture that has not
 * changed. The id of every target is compared once per sample (a few thousand
 * entries), not once per descriptor; when some id changed (on a whole machine
 * some object somewhere changes at most ticks), a process is still handed out
 * again when its own descriptors name the same objects.
 */
export class ProcessDescriptions {
  private lastTargets: Map<string, string> | null = null;
  /** Each process's last description, updated in place: a tick over a thousand idle processes builds no new map. */
  private last = new Map<number, Described>();
  /** Which describeAll() last saw each entry: entries of processes gone are dropped after it. */
  private generation = 0;

  /** `checkedAt`: when the kernel last confirmed the processes shown as last read (ProcessInfo.checkedAt). */
  describeAll(
    processes: Iterable<ScannedProcessWithExtras>,
    objectOfTarget: Map<string, string>,
    waits: Map<number, string>,
    checkedAt: ReadonlyMap<number, number> = NONE,
  ): ProcessInfo[] {
    const sameTargets = this.lastTargets !== null && sameEntries(this.lastTargets, objectOfTarget);
    const generation = ++this.generation;
    const infos: ProcessInfo[] = [];
    for (const proc of processes) {
      const waitsOn = waits.get(proc.pid) ?? null;
      const before = this.last.get(proc.pid);
      const at = checkedAt.get(proc.pid);
      if (before && before.scan === proc && before.waitsOn === waitsOn && (sameTargets || sameObjects(before.info.fds, objectOfTarget))) {
        // kept as it was: a watch of the whole machine allocates nothing for a process that has not run
        // (a new info only when its checkedAt changed: the old one belongs to frames already sent)
        if (before.info.checkedAt !== at) before.info = withCheckedAt(before.info, at);
        before.generation = generation;
        infos.push(before.info);
        continue;
      }
      const info = withCheckedAt(describeProcess(proc, objectOfTarget, waitsOn), at);
      if (before) {
        before.scan = proc;
        before.waitsOn = waitsOn;
        before.info = info;
        before.generation = generation;
      } else this.last.set(proc.pid, { scan: proc, waitsOn, info, generation });
      infos.push(info);
    }
    if (this.last.size > infos.length) for (const [pid, entry] of this.last) if (entry.generation !== generation) this.last.delete(pid);
    this.lastTargets = objectOfTarget;
    return infos;
  }

  forget(): void {
    this.last.clear();
    this.lastTargets = null;
  }
}

interface Described {
  scan: ScannedProcessWithExtras;
  waitsOn: string | null;
  info: ProcessInfo;
  generation: number;
}

/**
 * Whether each descriptor still names the object it named: when some target
 * elsewhere changed (on a whole machine, some object somewhere changes at
 * most ticks), a process whose own descriptors name the same objects is
 * described as before. Its blocked-on answer depends only on its scan, its
 * wait and these names.
 */
function sameObjects(fds: readonly FdEntry[], objectOfTarget: Map<string, string>): boolean {
  for (const entry of fds) {
    const object = objectOfTarget.get(entry.target);
    if (object === undefined ? entry.object !== fallbackObjectIdOf(entry.target) : object !== entry.object) return false;
  }
  return true;
}

function sameEntries(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

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

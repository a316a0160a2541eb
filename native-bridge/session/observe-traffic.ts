/**
 * Traffic between two samples of an observation, from /proc/PID/io (see
 * model/traffic-types.ts). The counters are per process, over every
 * descriptor: a count is tied to a descriptor only when the process held
 * exactly one that could carry it, on an IPC object, the same at both
 * samples; otherwise it is the process's own rate. send/recv on a socket
 * bypass these counters (ProcessIo): such traffic shows nowhere.
 *
 * A child's counts are added to its parent's when the parent reaps it
 * (measured: bash's rchar grew by the 12813 bytes a `cat /etc/services`
 * child read, plus the loader's reads). A process seen reaping a child
 * between the samples is therefore never tied to a descriptor.
 */
import type { FdEntry, ProcessInfo, Snapshot } from '../model/snapshot-types';
import type { TrafficEntry } from '../model/traffic-types';

type Access = 'r' | 'w';

function onlyDescriptor(process: ProcessInfo, access: Access): FdEntry | null {
  let found: FdEntry | null = null;
  for (const fd of process.fds) {
    if (fd.access !== 'rw' && fd.access !== access) continue;
    if (found) return null;
    found = fd;
  }
  return found;
}

function attributed(before: ProcessInfo, after: ProcessInfo, access: Access, ipcIds: ReadonlySet<string>): FdEntry | null {
  const now = onlyDescriptor(after, access);
  const was = onlyDescriptor(before, access);
  if (!now || !was || now.fd !== was.fd || now.object !== was.object || !ipcIds.has(now.object)) return null;
  return now;
}

/**
 * `attribute`: whether descriptor tables are complete (a whole-machine scan
 * keeps only IPC descriptors, so "the only one" cannot be told there).
 */
export function trafficBetween(before: Snapshot, after: Snapshot, attribute: boolean): TrafficEntry[] {
  const earlier = new Map(before.processes.map((p) => [p.pid, p]));
  const alive = new Set(after.processes.map((p) => p.pid));
  /* parents of the processes that were there and are not any more: their counts may hold the child's */
  const reaped = new Set(before.processes.filter((p) => !alive.has(p.pid)).map((p) => p.ppid));
  const ipcIds = new Set(after.objects.map((o) => o.id));
  const intervalMs = Math.max(0, after.takenAt - before.takenAt);
  const entries: TrafficEntry[] = [];
  for (const now of after.processes) {
    const was = earlier.get(now.pid);
    if (!was?.io || !now.io) continue;
    for (const direction of ['write', 'read'] as const) {
      const bytes = direction === 'write' ? now.io.wchar - was.io.wchar : now.io.rchar - was.io.rchar;
      const calls = direction === 'write' ? now.io.syscw - was.io.syscw : now.io.syscr - was.io.syscr;
      /* smaller counts: another process got the same pid; nothing moved that can be told */
      if (calls <= 0 || bytes < 0) continue;
      const fd = attribute && bytes > 0 && !reaped.has(now.pid) ? attributed(was, now, direction === 'write' ? 'w' : 'r', ipcIds) : null;
      entries.push(
        fd
          ? { pid: now.pid, direction, bytes, calls, intervalMs, via: 'descriptor', fd: fd.fd, object: fd.object }
          : { pid: now.pid, direction, bytes, calls, intervalMs, via: 'process' },
      );
    }
  }
  return entries;
}

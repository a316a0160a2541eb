/**
 * What changed between two snapshots, as one record per change: the lines
 * `ipcscope watch` prints. Pure: it compares what the kernel showed at two
 * moments and never looks at the kernel itself.
 */
import type { Blocked, IpcObject, ProcessInfo, Snapshot } from '../model/snapshot-types';
import { describeBlocked, isIpcFd } from './describe';

export type ChangeValue = string | number | boolean | null | number[];

export type ObjectField =
  | 'queued'
  | 'capacity'
  | 'readers'
  | 'writers'
  | 'state'
  | 'peer'
  | 'pending'
  | 'sendQueue'
  | 'nattch'
  | 'attached'
  | 'markedForDeletion'
  | 'size'
  | 'messages'
  | 'bytes'
  | 'waitingSenders'
  | 'waitingReceivers'
  | 'values'
  | 'waitingForIncrease'
  | 'waitingForZero'
  | 'waiting';

export type ChangeKind =
  | 'process.appeared'
  | 'process.exited'
  | 'process.state'
  | 'process.blocked'
  | 'process.readable'
  | 'fd.opened'
  | 'fd.closed'
  | 'object.appeared'
  | 'object.removed'
  | `object.${ObjectField}`;

export interface Change {
  /** takenAt of the snapshot that shows the change (ms since the epoch). */
  time: number;
  kind: ChangeKind;
  pid?: number;
  fd?: number;
  object?: string;
  from?: ChangeValue;
  to?: ChangeValue;
  text: string;
}

function blockedKey(blocked: Blocked | null): string {
  if (!blocked) return '';
  return `${blocked.op}|${blocked.syscallNr}|${blocked.fd}|${blocked.object}|${blocked.wchan}`;
}

/** The numbers worth a line when they move, per kind. */
function watchedFields(object: IpcObject): Partial<Record<ObjectField, ChangeValue>> {
  switch (object.kind) {
    case 'pipe':
    case 'fifo':
      return { queued: object.queued, capacity: object.capacity, readers: object.readers, writers: object.writers };
    case 'unix':
      return { state: object.state, peer: object.peer, queued: object.queued, pending: object.pending ?? null };
    case 'tcp':
    case 'udp':
      return { state: object.state, queued: object.queued, sendQueue: object.sendQueue, pending: object.pending ?? null };
    case 'shm':
      return { nattch: object.nattch, attached: [...object.attached].sort((a, b) => a - b), markedForDeletion: object.markedForDeletion };
    case 'msg':
      return {
        messages: object.messages,
        bytes: object.bytes,
        waitingSenders: [...object.waitingSenders].sort((a, b) => a - b),
        waitingReceivers: [...object.waitingReceivers].sort((a, b) => a - b),
      };
    case 'sem':
      return {
        values: object.semaphores.map((s) => s.value),
        waitingForIncrease: object.semaphores.map((s) => s.waitingForIncrease),
        waitingForZero: object.semaphores.map((s) => s.waitingForZero),
        waiting: [...object.waiting].sort((a, b) => a - b),
      };
    case 'posix_shm':
      return { size: object.size, attached: [...object.attached].sort((a, b) => a - b) };
    case 'mqueue':
      return { messages: object.messages, queued: object.queued };
    case 'lock':
      return { waiting: [...object.waiting].sort((a, b) => a - b) };
  }
}

function show(value: ChangeValue | undefined): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return `[${value.join(',')}]`;
  return String(value);
}

function same(a: ChangeValue | undefined, b: ChangeValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function who(process: ProcessInfo): string {
  return `pid ${process.pid} (${process.comm})`;
}

function diffProcess(time: number, before: ProcessInfo, after: ProcessInfo, changes: Change[]): void {
  const pid = after.pid;
  if (before.state !== after.state) {
    changes.push({ time, kind: 'process.state', pid, from: before.state, to: after.state, text: `${who(after)} state ${before.state} -> ${after.state}` });
  }
  if (before.readable !== after.readable) {
    const text = after.readable ? `${who(after)} readable again` : `${who(after)} unreadable: ${after.error ?? '?'}`;
    changes.push({ time, kind: 'process.readable', pid, from: before.readable, to: after.readable, text });
  }
  if (blockedKey(before.blocked) !== blockedKey(after.blocked)) {
    const from = before.blocked ? describeBlocked(before.blocked) : null;
    const to = after.blocked ? describeBlocked(after.blocked) : null;
    const text = to ? `${who(after)} blocked in ${to}` : `${who(after)} no longer blocked (was ${from})`;
    changes.push({ time, kind: 'process.blocked', pid, from, to, object: after.blocked?.object ?? before.blocked?.object ?? undefined, text });
  }
  const beforeFds = new Map(before.fds.filter(isIpcFd).map((fd) => [fd.fd, fd]));
  const afterFds = new Map(after.fds.filter(isIpcFd).map((fd) => [fd.fd, fd]));
  for (const [fd, entry] of beforeFds) {
    const now = afterFds.get(fd);
    if (now && now.object === entry.object) continue;
    changes.push({ time, kind: 'fd.closed', pid, fd, object: entry.object, text: `${who(after)} closed fd ${fd} (${entry.object}, ${entry.access})` });
  }
  for (const [fd, entry] of afterFds) {
    const was = beforeFds.get(fd);
    if (was && was.object === entry.object) continue;
    changes.push({ time, kind: 'fd.opened', pid, fd, object: entry.object, text: `${who(after)} opened fd ${fd} -> ${entry.object} (${entry.access})` });
  }
}

function diffObject(time: number, before: IpcObject, after: IpcObject, changes: Change[]): void {
  const old = watchedFields(before);
  const now = watchedFields(after);
  for (const field of Object.keys(now) as ObjectField[]) {
    if (same(old[field], now[field])) continue;
    changes.push({
      time,
      kind: `object.${field}`,
      object: after.id,
      from: old[field] ?? null,
      to: now[field] ?? null,
      text: `${after.id} ${field} ${show(old[field])} -> ${show(now[field])}`,
    });
  }
}

/** Changes from `before` to `after`, processes first (by pid), then objects (by id). */
export function diffSnapshots(before: Snapshot, after: Snapshot): Change[] {
  /* the Sampler hands back its previous snapshot's arrays when nothing moved */
  if (before.processes === after.processes && before.objects === after.objects) return [];
  const time = after.takenAt;
  const changes: Change[] = [];
  const oldProcesses = new Map(before.processes.map((p) => [p.pid, p]));
  const newProcesses = new Map(after.processes.map((p) => [p.pid, p]));
  for (const process of [...after.processes].sort((a, b) => a.pid - b.pid)) {
    const was = oldProcesses.get(process.pid);
    if (!was) {
      const ipcFds = process.fds.filter(isIpcFd).length;
      const text = `${who(process)} appeared, ppid ${process.ppid}, ${ipcFds} IPC fd${ipcFds === 1 ? '' : 's'}`;
      changes.push({ time, kind: 'process.appeared', pid: process.pid, to: process.comm, text });
    } else {
      diffProcess(time, was, process, changes);
    }
  }
  for (const process of [...before.processes].sort((a, b) => a.pid - b.pid)) {
    if (!newProcesses.has(process.pid)) changes.push({ time, kind: 'process.exited', pid: process.pid, from: process.comm, text: `${who(process)} exited` });
  }
  const oldObjects = new Map(before.objects.map((o) => [o.id, o]));
  const newObjects = new Map(after.objects.map((o) => [o.id, o]));
  for (const object of after.objects) {
    const was = oldObjects.get(object.id);
    if (was) diffObject(time, was, object, changes);
    else changes.push({ time, kind: 'object.appeared', object: object.id, text: `${object.id} appeared` });
  }
  for (const object of before.objects) {
    if (!newObjects.has(object.id)) changes.push({ time, kind: 'object.removed', object: object.id, text: `${object.id} removed` });
  }
  return changes;
}

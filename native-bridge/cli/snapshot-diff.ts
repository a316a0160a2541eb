/**
 * What changed between two snapshots, as one record per change: the lines
 * `ipcscope watch` prints. Pure: it compares what the kernel showed at two
 * moments and never looks at the kernel itself. Not every difference is
 * worth a line: a process going between running and sleeping is not (it
 * does so all the time), one blocking on an object, or leaving it, is.
 */
import type { Access, Blocked, IpcObject, PipeObject, ProcessInfo, ProcessState, Snapshot } from '../model/snapshot-types';
import { describeBlocked, isIpcFd } from './describe';
import { ioChanges } from './io-activity';
import { hiddenEnd, hiddenEndText, listedZeroNote, type EndKind } from './pipe-ends-changes';
import { escapeText } from './safe-text';

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
  | 'waiting'
  /** Pipes and FIFOs, while no holder of that kind is listed: whether the kernel has such an end open all the same (PipeObject.hiddenWriters). */
  | 'hiddenWriters'
  | 'hiddenReaders';

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
  /** No watched process holds or maps it any more; it may well still exist. */
  | 'object.left'
  /** Bytes a process moved between samples through its only descriptor able to (io-activity.ts). */
  | 'object.carried'
  /** Bytes a process moved between samples, through descriptors unknown (/proc/PID/io). */
  | 'process.wrote'
  | 'process.read'
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
  /** object.carried: whether the bytes went into the object (w) or out of it (r). */
  access?: Access;
  /** Traffic changes: bytes moved and read/write calls made between the samples. */
  bytes?: number;
  calls?: number;
  /**
   * object.writers / object.readers of a pipe or FIFO falling to 0 listed
   * holders: whether the kernel has an end of that kind open all the same, in
   * a process this view does not show (PipeObject.hiddenWriters /
   * hiddenReaders; null: not known).
   */
  hidden?: boolean | null;
  text: string;
}

export interface DiffOptions {
  /** Both snapshots cover the whole machine: an object no one holds is gone. Default false (a PID scope). */
  wholeMachine?: boolean;
  /** A pid whose traffic is left out: the watching process itself, whose reads of /proc would show every tick. */
  observer?: number;
}

/*
 * Running, sleeping, in disk sleep, idle: a process moves between these all
 * the time, and what it waits on is told by its blocked changes. Stopped,
 * traced, zombie, dead are worth a line.
 */
const ACTIVE_STATES: ReadonlySet<ProcessState> = new Set(['R', 'S', 'D', 'I']);

/* Kinds that live only as long as a descriptor (or a mapping) of theirs is held. */
const DESCRIPTOR_KINDS: ReadonlySet<IpcObject['kind']> = new Set(['pipe', 'fifo', 'unix', 'tcp', 'udp']);

/** What a process waits on, when it is an object: sleeping in nanosleep or poll is not worth a line. */
function blockedKey(blocked: Blocked | null): string {
  if (!blocked?.object) return '';
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
    case 'mmap':
      return { size: object.size, attached: [...object.attached].sort((a, b) => a - b) };
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
  return `pid ${process.pid} (${escapeText(process.comm)})`;
}

function diffProcess(time: number, before: ProcessInfo, after: ProcessInfo, changes: Change[]): void {
  const pid = after.pid;
  if (before.state !== after.state && !(ACTIVE_STATES.has(before.state) && ACTIVE_STATES.has(after.state))) {
    changes.push({ time, kind: 'process.state', pid, from: before.state, to: after.state, text: `${who(after)} state ${before.state} -> ${after.state}` });
  }
  if (before.readable !== after.readable) {
    const text = after.readable ? `${who(after)} readable again` : `${who(after)} unreadable: ${escapeText(after.error ?? '?')}`;
    changes.push({ time, kind: 'process.readable', pid, from: before.readable, to: after.readable, text });
  }
  if (blockedKey(before.blocked) !== blockedKey(after.blocked)) {
    const from = before.blocked?.object ? describeBlocked(before.blocked) : null;
    const to = after.blocked?.object ? describeBlocked(after.blocked) : null;
    const text = to ? `${who(after)} blocked in ${to}` : `${who(after)} no longer blocked (was ${from})`;
    changes.push({ time, kind: 'process.blocked', pid, from, to, object: after.blocked?.object ?? before.blocked?.object ?? undefined, text });
  }
  const beforeFds = new Map(before.fds.filter(isIpcFd).map((fd) => [fd.fd, fd]));
  const afterFds = new Map(after.fds.filter(isIpcFd).map((fd) => [fd.fd, fd]));
  for (const [fd, entry] of beforeFds) {
    const now = afterFds.get(fd);
    if (now && now.object === entry.object) continue;
    changes.push({ time, kind: 'fd.closed', pid, fd, object: entry.object, text: `${who(after)} closed fd ${fd} (${escapeText(entry.object)}, ${entry.access})` });
  }
  for (const [fd, entry] of afterFds) {
    const was = beforeFds.get(fd);
    if (was && was.object === entry.object) continue;
    changes.push({ time, kind: 'fd.opened', pid, fd, object: entry.object, text: `${who(after)} opened fd ${fd} -> ${escapeText(entry.object)} (${entry.access})` });
  }
}

function diffObject(time: number, before: IpcObject, after: IpcObject, changes: Change[]): void {
  const old = watchedFields(before);
  const now = watchedFields(after);
  for (const field of Object.keys(now) as ObjectField[]) {
    if (same(old[field], now[field])) continue;
    const change: Change = {
      time,
      kind: `object.${field}`,
      object: after.id,
      from: old[field] ?? null,
      to: now[field] ?? null,
      text: `${escapeText(after.id)} ${field} ${show(old[field])} -> ${show(now[field])}`,
    };
    if ((field === 'writers' || field === 'readers') && (after.kind === 'pipe' || after.kind === 'fifo') && now[field] === 0) {
      const hidden = hiddenEnd(after, field);
      change.text += listedZeroNote(field, hidden, after.queued);
      if (hidden !== undefined) change.hidden = hidden;
    }
    changes.push(change);
  }
  if ((before.kind === 'pipe' || before.kind === 'fifo') && (after.kind === 'pipe' || after.kind === 'fifo')) {
    for (const end of ['writers', 'readers'] as EndKind[]) diffHiddenEnd(time, before, after, end, changes);
  }
}

/**
 * The kernel's answer for ends no listed holder shows, moving while none of
 * that kind is listed (the last hidden writer closing: readers now see EOF).
 * A listed count going to or from 0 is told by its own change.
 */
function diffHiddenEnd(time: number, before: PipeObject, after: PipeObject, end: EndKind, changes: Change[]): void {
  const from = hiddenEnd(before, end);
  const to = hiddenEnd(after, end);
  if (from === undefined || to === undefined || from === to) return;
  const field = end === 'writers' ? 'hiddenWriters' : 'hiddenReaders';
  changes.push({ time, kind: `object.${field}`, object: after.id, from, to, text: hiddenEndText(after, end, from, to) });
}

/**
 * An object gone from the snapshot. In a PID scope that says only that no
 * watched process reaches it: it is gone only when it lives by descriptors
 * and every holder seen at the last sample was a watched one.
 */
function objectGone(time: number, object: IpcObject, watched: ReadonlySet<number>, wholeMachine: boolean): Change {
  const id = escapeText(object.id);
  if (wholeMachine) return { time, kind: 'object.removed', object: object.id, text: `${id} removed` };
  const outside = [...new Set(object.holders.map((h) => h.pid).filter((pid) => !watched.has(pid)))];
  if (outside.length === 0 && DESCRIPTOR_KINDS.has(object.kind)) {
    return { time, kind: 'object.removed', object: object.id, text: `${id} closed by its last holder` };
  }
  const others = outside.length > 0 ? ` (${outside.length === 1 ? 'pid' : 'pids'} ${outside.join(', ')} held it too at the last sample)` : '';
  return { time, kind: 'object.left', object: object.id, text: `${id} no longer held by a watched process${others}` };
}

/** Changes from `before` to `after`, processes first (by pid), then objects (by id). */
export function diffSnapshots(before: Snapshot, after: Snapshot, options: DiffOptions = {}): Change[] {
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
      if (process.pid !== options.observer) ioChanges(time, was, process, { attribute: !options.wholeMachine }, changes);
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
    else changes.push({ time, kind: 'object.appeared', object: object.id, text: `${escapeText(object.id)} appeared` });
  }
  const watched = new Set(oldProcesses.keys());
  for (const object of before.objects) {
    if (!newObjects.has(object.id)) changes.push(objectGone(time, object, watched, options.wholeMachine ?? false));
  }
  return changes;
}

/**
 * The wait-for graph of a Snapshot: for each process asleep on an object, the
 * processes that could wake it (the holders of the other end). Only waits the
 * kernel lets us pin on known processes get an entry: a wait anyone could end
 * (accept(), open() of a FIFO, msgrcv: any process with the rights may come)
 * is left out, so it never counts as stuck.
 */
import type { NeedsFact, WaitFact } from '../model/diagnosis-types';
import type { Holder, IpcObject, ProcessInfo, Snapshot } from '../model/snapshot-types';

export interface WaitFor {
  pid: number;
  /** The object the process sleeps on. */
  object: string;
  /** The processes that can end the wait, with the descriptor each holds the other end through (null: no descriptor, e.g. a lock owner). */
  satisfiers: readonly { pid: number; fd: number | null }[];
  /** What the process waits for (evidence-text.ts words it: "is asleep in read(3) on pipe:4614 (empty)"). */
  wait: WaitFact;
  /** What a satisfier holds that could end it (a write end, the peer socket, the lock...). */
  needs: NeedsFact;
}

export interface SnapshotIndex {
  processes: Map<number, ProcessInfo>;
  objects: Map<string, IpcObject>;
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  return {
    processes: new Map(snapshot.processes.map((p) => [p.pid, p])),
    objects: new Map(snapshot.objects.map((o) => [o.id, o])),
  };
}

const READ_OPS = new Set(['read', 'recv']);
const WRITE_OPS = new Set(['write', 'send']);

const canRead = (h: Holder): boolean => h.access !== 'w';
const canWrite = (h: Holder): boolean => h.access !== 'r';

type Satisfier = WaitFor['satisfiers'][number];

/**
 * Each holders list's satisfiers, per filter, made once per list. A Sampler
 * hands out the same holders array while the holders index stands (the pipe
 * probe shares it between the snapshots of one grouping): with a thousand
 * pipes each held by up to a thousand processes (process-pool `keeps`), making
 * half a million satisfiers again at every diagnose pass cost ~100 ms. The
 * length is checked too: a list someone appended to is made again.
 */
const satisfiersOf = new WeakMap<(h: Holder) => boolean, WeakMap<Holder[], { length: number; satisfiers: Satisfier[] }>>();

function holdersWhere(object: IpcObject, keep: (h: Holder) => boolean): Satisfier[] {
  let byList = satisfiersOf.get(keep);
  if (!byList) {
    byList = new WeakMap();
    satisfiersOf.set(keep, byList);
  }
  const known = byList.get(object.holders);
  if (known && known.length === object.holders.length) return known.satisfiers;
  const satisfiers = object.holders.filter(keep).map((h) => ({ pid: h.pid, fd: h.fd }));
  byList.set(object.holders, { length: object.holders.length, satisfiers });
  return satisfiers;
}

const anyHolder = (): boolean => true;

/** The wait of one process, or null when it is not asleep on something only known processes can end. */
export function waitOf(proc: ProcessInfo, index: SnapshotIndex): WaitFor | null {
  const blocked = proc.blocked;
  if (!blocked || blocked.object === null) return null;
  const object = index.objects.get(blocked.object);
  if (!object) return null;
  const base = { pid: proc.pid, object: object.id };
  const on = { syscall: blocked.syscall, fd: blocked.fd, object: object.id };
  switch (object.kind) {
    case 'pipe':
    case 'fifo':
      // anon_pipe_read sleeps only while the pipe is empty and a writer exists; anon_pipe_write only while it is full and a reader exists
      if (READ_OPS.has(blocked.op) && object.queued !== null && object.queued > 0) return null;
      if (READ_OPS.has(blocked.op)) {
        return { ...base, satisfiers: holdersWhere(object, canWrite), wait: { ...on, reason: 'pipe-empty' }, needs: { end: 'write-end' } };
      }
      if (WRITE_OPS.has(blocked.op)) {
        return { ...base, satisfiers: holdersWhere(object, canRead), wait: { ...on, reason: 'pipe-full', queued: object.queued, capacity: object.capacity }, needs: { end: 'read-end' } };
      }
      return null;
    case 'unix': {
      // a stream socket is woken by whoever holds its peer: data to read comes from there, room to write is made there
      const peer = object.peer === null ? undefined : index.objects.get(object.peer);
      if (READ_OPS.has(blocked.op) && peer) {
        return { ...base, satisfiers: holdersWhere(peer, anyHolder), wait: { ...on, reason: 'socket-empty' }, needs: { end: 'peer', peer: peer.id } };
      }
      if (WRITE_OPS.has(blocked.op) && peer) {
        return { ...base, satisfiers: holdersWhere(peer, anyHolder), wait: { ...on, reason: 'peer-full' }, needs: { end: 'peer', peer: peer.id } };
      }
      if (blocked.op === 'connect') {
        return { ...base, satisfiers: holdersWhere(object, anyHolder), wait: { ...on, reason: 'backlog-full' }, needs: { end: 'listener' } };
      }
      return null;
    }
    case 'lock': {
      // /proc/locks names the owner of each lock in the way (POSIX/FLOCK; a flock() through a second open of the file waits on its own lock); an OFD lock belongs to whoever holds the open file
      const owners = new Map<number, number | null>();
      for (const lock of object.locks) {
        // a process's own POSIX locks never stand in its way (they merge): only another's
        if (lock.pid !== null && !(lock.type === 'POSIX' && lock.pid === proc.pid)) owners.set(lock.pid, null);
        if (lock.pid === null) for (const h of object.holders) if (h.pid !== proc.pid) owners.set(h.pid, h.fd);
      }
      if (owners.size === 0) return null;
      return { ...base, satisfiers: [...owners].map(([pid, fd]) => ({ pid, fd })), wait: { ...on, reason: 'lock', path: object.path ?? null }, needs: { end: 'lock' } };
    }
    case 'sem': {
      // semaphores have no owner in the kernel: sempid (the last process to change one) is the best witness of who took it
      const last = new Set(object.semaphores.map((s) => s.lastPid).filter((pid) => pid > 0 && pid !== proc.pid));
      if (last.size === 0) return null;
      return { ...base, satisfiers: [...last].map((pid) => ({ pid, fd: null })), wait: { ...on, reason: 'semaphore' }, needs: { end: 'sempid' } };
    }
    default:
      return null;
  }
}

/**
 * Every wait of the snapshot that names its possible wakers, by PID. A wait
 * that names none is left out: the kernel sleeps a pipe reader only while a
 * write end is open somewhere (pipe_read: `if (!pipe->writers) break;`), a
 * writer only while a read end is, so an empty list means the other end is
 * held where the probe cannot see it (a process of a parent PID namespace,
 * one whose descriptors are unreadable, a descriptor in flight in a socket's
 * queue). Such a wait is no proof of being stuck: kept, it was a "ring of one"
 * with nobody in it (every() of an empty list is true). Such waits go to
 * `leftOut` when given: hidden-ends.ts tells the user of them.
 */
export function waitForGraph(index: SnapshotIndex, leftOut?: WaitFor[]): Map<number, WaitFor> {
  const graph = new Map<number, WaitFor>();
  for (const proc of index.processes.values()) {
    const wait = waitOf(proc, index);
    if (!wait) continue;
    if (wait.satisfiers.length > 0) graph.set(proc.pid, wait);
    else leftOut?.push(wait);
  }
  return graph;
}

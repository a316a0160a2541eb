import type { Frame } from '../../native-bridge/model/frame-types';
import type { BlockedOp, IpcObject, ObjectKind, ProcessInfo } from '../../native-bridge/model/snapshot-types';

/**
 * What the map draws, before any geometry: processes grouped into units. Many
 * children of one parent running the same command (a worker pool, 200 `cat`s
 * of one shell) become one fan; the objects only they and their parent hold
 * (each worker's own pipe) go into the fan with them. Pure: the same frame
 * (and the same expanded set) always gives the same units.
 */

/** Siblings with one command become a fan from this many up. */
export const FAN_MIN = 8;
/**
 * On the whole machine, from this many up: there most siblings hold no pipe of
 * their own (three `memfd:sealed` of init, a daemon's workers), and the map is
 * only readable when what repeats is folded.
 */
export const WHOLE_MACHINE_FAN_MIN = 3;
/** kthreadd: every kernel thread is its child. */
export const KTHREADD_PID = 2;
/**
 * The "command" of the fan of kernel threads (kworker/0:1, ksoftirqd/0, ...
 * differ by name): 16 characters, so no real comm (15 at most) is the same.
 */
export const KERNEL_THREADS = '[kernel threads]';

export type UnitKey = string;

export interface ProcessUnit {
  kind: 'process';
  key: UnitKey;
  process: ProcessInfo;
}

/** How the members of a fan are doing, counted from their /proc state. */
export interface FanCounts {
  total: number;
  /** Asleep in a syscall the probe names, by operation (read, write, msgrcv ...). */
  blocked: Partial<Record<BlockedOp, number>>;
  blockedTotal: number;
  /** State R. */
  running: number;
  /** Neither blocked in a named call nor running (asleep elsewhere, stopped, zombie). */
  other: number;
  /** Members holding a descriptor on an object with bytes queued in it. */
  holdingQueued: number;
  /**
   * True when the wire left out holders of such an object that are members
   * (native-bridge/model/wire-frame.ts counts them, without their pids): then
   * holdingQueued counts only the members listed, and is a least count.
   */
  holdingQueuedCut?: boolean;
}

export interface FanUnit {
  kind: 'fan';
  /** "fan:<ppid>:<comm>": stable while the parent lives and the command stays. */
  key: UnitKey;
  ppid: number;
  comm: string;
  /** Members sorted by pid. */
  members: ProcessInfo[];
  /** Objects held only by members and the parent, by the member they belong to (its reader, else its first holder). */
  memberObjects: Map<number, IpcObject[]>;
  /** Object kinds inside the fan, with counts ("200 pipes"). */
  objectKinds: Partial<Record<ObjectKind, number>>;
  counts: FanCounts;
  /** Sibling fans that also hold this fan's objects (the writers of 200 `sleep | cat` pipes), with how many objects. */
  linkedFrom: Map<UnitKey, number>;
  /** Pipe write ends the members hold on pipes not their own (the pool's trap: elder siblings' pipes). */
  writeEnds: WriteEnds;
  expanded: boolean;
}

/**
 * Counted from each member's descriptors (and, when a wire frame cut the list,
 * its fdsOmitted counts): what the seed's trap changes. With inherited write
 * ends worker k holds k-1 of them; with O_CLOEXEC none.
 */
export interface WriteEnds {
  /** Write ends of siblings' pipes (other members' own), over all members. */
  total: number;
  /** The most one member holds. */
  max: number;
  /** Members whose only pipe descriptor is the read end of their own pipe. */
  onlyOwnReadEnd: number;
}

/** A pipe descriptor that can write: what keeps a reader from seeing EOF. */
function writesPipe(kind: string, access: string): boolean {
  return kind === 'pipe' && access !== 'r';
}

export function countWriteEnds(members: ProcessInfo[], memberObjects: Map<number, IpcObject[]>): WriteEnds {
  const ends: WriteEnds = { total: 0, max: 0, onlyOwnReadEnd: 0 };
  // a sibling's pipe is one the fan holds as a member's own: a pipe shared with processes outside (init's stdout,
  // a daemon's log pipe, kept by every child on the whole machine) is nobody's trap
  const siblings = new Set([...memberObjects.values()].flatMap((list) => list.map((o) => o.id)));
  for (const m of members) {
    const own = new Set((memberObjects.get(m.pid) ?? []).map((o) => o.id));
    let writes = 0;
    let pipeFds = 0;
    let ownRead = 0;
    for (const fd of m.fds) {
      const kind = fd.object.slice(0, fd.object.indexOf(':'));
      if (kind !== 'pipe') continue;
      pipeFds += 1;
      if (writesPipe(kind, fd.access) && !own.has(fd.object) && siblings.has(fd.object)) writes += 1;
      else if (fd.access === 'r' && own.has(fd.object)) ownRead += 1;
    }
    for (const c of m.fdsOmitted ?? []) {
      if (c.kind !== 'pipe') continue;
      pipeFds += c.count;
      // Left-out descriptors are counted without their object: a write end among them is counted as a sibling's.
      if (writesPipe(c.kind, c.access)) writes += c.count;
    }
    ends.total += writes;
    ends.max = Math.max(ends.max, writes);
    if (pipeFds === 1 && ownRead === 1) ends.onlyOwnReadEnd += 1;
  }
  return ends;
}

export type MapUnit = ProcessUnit | FanUnit;

export interface MapGroups {
  units: MapUnit[];
  /** Objects outside every fan, drawn on their own, keyed by id. */
  objects: IpcObject[];
  /** Unit key of every process pid (a fan member maps to its fan). */
  unitOf: Map<number, UnitKey>;
  /** Fan key of every object folded into a fan. */
  objectFan: Map<string, UnitKey>;
}

export function fanKey(ppid: number, comm: string): UnitKey {
  return `fan:${ppid}:${comm}`;
}

export function processKey(pid: number): UnitKey {
  return `process:${pid}`;
}

/** The member an object inside a fan belongs to: the one reading it, else the lowest holder. */
function owningMember(object: IpcObject, members: Set<number>): number | null {
  const holders = object.holders.filter((h) => members.has(h.pid)).sort((a, b) => a.pid - b.pid);
  const reader = holders.find((h) => h.access !== 'w');
  return (reader ?? holders[0])?.pid ?? null;
}

/** The fan an object folds into, or null when someone outside the parent's fans holds it. */
function foldInto(o: IpcObject, fans: Map<UnitKey, ProcessInfo[]>, unitOf: Map<number, UnitKey>): UnitKey | null {
  let ppid: number | null = null;
  for (const h of o.holders) {
    const key = unitOf.get(h.pid);
    if (key && fans.has(key)) {
      const parent = fans.get(key)![0]!.ppid;
      if (ppid !== null && parent !== ppid) return null;
      ppid = parent;
    }
  }
  if (ppid === null) return null;
  if (!o.holders.every((h) => h.pid === ppid || fans.has(unitOf.get(h.pid) ?? ''))) return null;
  const sorted = [...o.holders].filter((h) => h.pid !== ppid).sort((a, b) => a.pid - b.pid);
  const owner = sorted.find((h) => h.access !== 'w') ?? sorted[0];
  return owner ? (unitOf.get(owner.pid) ?? null) : null;
}

function countMembers(members: ProcessInfo[], queuedHolders: Set<number>): FanCounts {
  const counts: FanCounts = { total: members.length, blocked: {}, blockedTotal: 0, running: 0, other: 0, holdingQueued: 0 };
  for (const p of members) {
    if (p.blocked) {
      counts.blocked[p.blocked.op] = (counts.blocked[p.blocked.op] ?? 0) + 1;
      counts.blockedTotal += 1;
    } else if (p.state === 'R') counts.running += 1;
    else counts.other += 1;
    if (queuedHolders.has(p.pid)) counts.holdingQueued += 1;
  }
  return counts;
}

/**
 * Groups a frame's processes into units (`fanMin`: siblings with one command
 * fold from this many; kernel threads, children of kthreadd, fold together). `expanded` holds fan keys the user
 * opened. `knownFans` (fans seen before) keep being fans down to 2 members, so
 * a pool shrinking past FAN_MIN does not burst into single nodes and back.
 */
export function groupFrame(
  frame: Pick<Frame, 'processes' | 'objects'>,
  expanded: ReadonlySet<UnitKey>,
  knownFans: ReadonlySet<UnitKey> = new Set(),
  fanMin: number = FAN_MIN,
): MapGroups {
  const pids = new Set(frame.processes.map((p) => p.pid));
  // kernel threads fold into one fan whatever their names, when PID 2 is kthreadd (not some process of a PID namespace)
  const kthreadd = frame.processes.some((p) => p.pid === KTHREADD_PID && p.comm === 'kthreadd');
  const siblings = new Map<UnitKey, ProcessInfo[]>();
  for (const p of frame.processes) {
    // Roots (parent not observed) are never folded: each is a starting point of its own.
    if (!pids.has(p.ppid)) continue;
    const key = fanKey(p.ppid, kthreadd && p.ppid === KTHREADD_PID ? KERNEL_THREADS : p.comm);
    const list = siblings.get(key);
    if (list) list.push(p);
    else siblings.set(key, [p]);
  }
  const fans = new Map<UnitKey, ProcessInfo[]>();
  for (const [key, list] of siblings) {
    if (list.length >= fanMin || (knownFans.has(key) && list.length >= 2)) fans.set(key, list.sort((a, b) => a.pid - b.pid));
  }
  const unitOf = new Map<number, UnitKey>();
  for (const [key, list] of fans) for (const p of list) unitOf.set(p.pid, key);
  for (const p of frame.processes) if (!unitOf.has(p.pid)) unitOf.set(p.pid, processKey(p.pid));

  const queuedHolders = new Set<number>();
  const queuedCut = new Set<UnitKey>();
  for (const o of frame.objects) {
    if ((o.queued ?? 0) <= 0) continue;
    for (const h of o.holders) queuedHolders.add(h.pid);
    for (const c of o.holdersOmitted ?? []) queuedCut.add(fanKey(c.ppid, c.comm));
  }

  // An object belongs to a fan when every holder is a member of it, of a sibling fan (same parent), or that
  // parent, and one is a member: each worker's pipe in a pool, each `sleep | cat` pipe of a shell's 200 pipelines.
  // It goes to the fan of its reader; a sibling fan holding it too is linked to that fan (one edge, counted).
  const objectFan = new Map<string, UnitKey>();
  const fanObjects = new Map<UnitKey, IpcObject[]>();
  const links = new Map<UnitKey, Map<UnitKey, number>>();
  const loose: IpcObject[] = [];
  for (const o of frame.objects) {
    const home = foldInto(o, fans, unitOf);
    if (!home) {
      loose.push(o);
      continue;
    }
    objectFan.set(o.id, home);
    const list = fanObjects.get(home);
    if (list) list.push(o);
    else fanObjects.set(home, [o]);
    for (const key of new Set(o.holders.map((h) => unitOf.get(h.pid)))) {
      if (!key || key === home || !fans.has(key)) continue;
      const from = links.get(home) ?? new Map<UnitKey, number>();
      from.set(key, (from.get(key) ?? 0) + 1);
      links.set(home, from);
    }
  }

  const units: MapUnit[] = [];
  const emitted = new Set<UnitKey>();
  for (const p of [...frame.processes].sort((a, b) => a.pid - b.pid)) {
    const key = unitOf.get(p.pid)!;
    if (emitted.has(key)) continue;
    emitted.add(key);
    const members = fans.get(key);
    if (!members) {
      units.push({ kind: 'process', key, process: p });
      continue;
    }
    const memberSet = new Set(members.map((m) => m.pid));
    const memberObjects = new Map<number, IpcObject[]>();
    const objectKinds: Partial<Record<ObjectKind, number>> = {};
    for (const o of fanObjects.get(key) ?? []) {
      objectKinds[o.kind] = (objectKinds[o.kind] ?? 0) + 1;
      const owner = owningMember(o, memberSet);
      if (owner === null) continue;
      const list = memberObjects.get(owner);
      if (list) list.push(o);
      else memberObjects.set(owner, [o]);
    }
    units.push({
      kind: 'fan',
      key,
      ppid: members[0]!.ppid,
      comm: key === fanKey(KTHREADD_PID, KERNEL_THREADS) ? KERNEL_THREADS : members[0]!.comm,
      members,
      memberObjects,
      objectKinds,
      counts: { ...countMembers(members, queuedHolders), ...(queuedCut.has(key) ? { holdingQueuedCut: true } : {}) },
      linkedFrom: links.get(key) ?? new Map(),
      writeEnds: countWriteEnds(members, memberObjects),
      expanded: expanded.has(key),
    });
  }
  return { units, objects: loose, unitOf, objectFan };
}

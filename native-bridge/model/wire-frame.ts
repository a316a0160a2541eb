import type { Frame } from './frame-types';
import type { Access, FdCount, FdEntry, Holder, HolderCount, IpcObject, ProcessInfo, Snapshot } from './snapshot-types';

/**
 * The form of a frame that goes to a view (the browser mode's WebSocket, the
 * Electron shell's IPC): the same frame, with long lists cut. The process
 * pool at N = 1000 in its `keeps` version has ~500,000 holders (worker k holds
 * the write ends of its k-1 elder siblings' pipes) and as many descriptors:
 * 57 MB of JSON per frame, which no view can take at 30 Hz. Beyond a cap, an
 * object's holders and a process's descriptors are cut, and what was left out
 * is counted (by parent/command/access, by kind/access), so a view can say
 * "+998 more: 998 pipe write ends" exactly. Engine-side consumers (diagnoses,
 * lesson claims, `ipcscope snapshot --json`) keep the full lists: only views
 * get this form.
 *
 * What is kept, in this order until the cap: holders asleep on the object;
 * of each group of holders with one parent and one command (what the map
 * folds into a fan) the lowest pid per access, then the whole group when it
 * is small (so the map judges an object's home as on the full list); its
 * readers; then holders in the order the engine listed them. Descriptors:
 * 0-2, the one the process is asleep on, the ones a lesson step points at,
 * the lowest of each kind and access, then in the engine's order.
 */

export interface WireCaps {
  /** Most holders an object keeps. */
  holders: number;
  /** Most descriptors a process keeps. */
  fds: number;
  /**
   * Lists are cut only in a frame listing more holders and descriptors than
   * this in all: a lesson's few processes (a Node actor has ~20 descriptors)
   * keep every entry; a pool of hundreds is cut. 0: always cut past the caps.
   */
  budget?: number;
}

export const WIRE_CAPS: WireCaps = { holders: 16, fds: 12, budget: 4000 };

/* a group of holders this small (one parent, one command) is kept whole: the map's fans start at 8 */
const WHOLE_GROUP = 8;

const ACCESS_INDEX: Record<Access, number> = { r: 0, w: 1, rw: 2 };
const ACCESSES: Access[] = ['r', 'w', 'rw'];

/** Per frame: each pid's group (one parent, one command) as a small number, and what it sleeps on. */
interface Holders {
  groupOf: Map<number, number>;
  groups: { ppid: number; comm: string }[];
  /** Object id -> the pids asleep on it. */
  sleepers: Map<string, Set<number>>;
}

/**
 * Cuts made for earlier frames, by the very object cut: the Sampler hands on
 * a process that has not run, and an object nothing changed, as the same
 * object from frame to frame (a sleeping pool's 1000 workers), so a frame's
 * cut costs what changed. A holder cut also depends on the frame's processes
 * (their parents, commands, sleeps): it is reused only while those are the
 * same as for the frame it was made for.
 */
const holderCuts = new WeakMap<IpcObject, { ctx: Holders; cap: number; size: number; cut: IpcObject }>();
const fdCuts = new WeakMap<ProcessInfo, { focus: string; cap: number; size: number; cut: ProcessInfo }>();
let lastContext: { processes: ProcessInfo[]; signature: string; ctx: Holders } | null = null;

/* what a holder cut reads of the processes: each pid's parent, command and the object it sleeps on */
const contextSignature = (processes: ProcessInfo[]): string => processes.map((p) => `${p.pid} ${p.ppid} ${p.comm} ${p.blocked?.object ?? ''}`).join('\n');

function contextFor(processes: ProcessInfo[]): Holders {
  const last = lastContext;
  if (last && last.processes.length === processes.length && last.processes.every((p, i) => p === processes[i])) return last.ctx;
  const signature = contextSignature(processes);
  if (last && last.signature === signature) {
    last.processes = processes;
    return last.ctx;
  }
  const ctx = holdersContext(processes);
  lastContext = { processes, signature, ctx };
  return ctx;
}

/** The frame as views receive it; unchanged lists are shared, not copied. */
export function wireFrame<T extends Snapshot & Partial<Pick<Frame, 'lesson'>>>(frame: T, caps: WireCaps = WIRE_CAPS): T {
  if (caps.budget && listed(frame) <= caps.budget) return frame;
  let objects = frame.objects;
  if (frame.objects.some((o) => o.holders.length > caps.holders)) {
    const ctx = contextFor(frame.processes);
    const cut = holderCutter(ctx, caps.holders);
    objects = frame.objects.map((o) => {
      if (o.holders.length <= caps.holders) return o;
      const earlier = holderCuts.get(o);
      if (earlier && earlier.ctx === ctx && earlier.cap === caps.holders && earlier.size === o.holders.length) return earlier.cut;
      const made = cut(o);
      holderCuts.set(o, { ctx, cap: caps.holders, size: o.holders.length, cut: made });
      return made;
    });
  }
  let processes = frame.processes;
  if (frame.processes.some((p) => p.fds.length > caps.fds)) {
    const focus = focusFds(frame.lesson);
    const cut = fdCutter(caps.fds);
    processes = frame.processes.map((p) => {
      if (p.fds.length <= caps.fds) return p;
      const mine = focus.get(p.pid);
      const focusKey = mine ? [...mine].sort((a, b) => a - b).join(',') : '';
      const earlier = fdCuts.get(p);
      if (earlier && earlier.focus === focusKey && earlier.cap === caps.fds && earlier.size === p.fds.length) return earlier.cut;
      const made = cut(p, mine);
      fdCuts.set(p, { focus: focusKey, cap: caps.fds, size: p.fds.length, cut: made });
      return made;
    });
  }
  return objects === frame.objects && processes === frame.processes ? frame : { ...frame, objects, processes };
}

function listed(frame: Snapshot): number {
  let n = 0;
  for (const o of frame.objects) n += o.holders.length;
  for (const p of frame.processes) n += p.fds.length;
  return n;
}

function holdersContext(processes: ProcessInfo[]): Holders {
  const ids = new Map<string, number>();
  const ctx: Holders = { groupOf: new Map(), groups: [], sleepers: new Map() };
  for (const p of processes) {
    const key = `${p.ppid}\0${p.comm}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ctx.groups.length;
      ids.set(key, id);
      ctx.groups.push({ ppid: p.ppid, comm: p.comm });
    }
    ctx.groupOf.set(p.pid, id);
    if (p.blocked?.object) {
      const set = ctx.sleepers.get(p.blocked.object) ?? new Set<number>();
      set.add(p.pid);
      ctx.sleepers.set(p.blocked.object, set);
    }
  }
  return ctx;
}

function focusFds(lesson: Frame['lesson'] | undefined): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const step of lesson?.steps ?? []) {
    for (const f of step.focus ?? []) {
      const set = out.get(f.pid) ?? new Set<number>();
      set.add(f.fd);
      out.set(f.pid, set);
    }
  }
  return out;
}

/**
 * Marks items kept, in the order `take` is called, until the cap. One per
 * frame, reused for every list: the pool's keeps version has 500,000 holders,
 * and allocating per list made the cut cost more in garbage collection than
 * in work.
 */
class Chooser {
  chosen = new Uint8Array(0);
  count = 0;
  private size = 0;
  constructor(private readonly cap: number) {}
  reset(size: number): void {
    if (this.chosen.length < size) this.chosen = new Uint8Array(size);
    else this.chosen.fill(0, 0, size);
    this.size = size;
    this.count = 0;
  }
  get full(): boolean {
    return this.count >= this.cap;
  }
  take(i: number): void {
    if (this.count < this.cap && this.chosen[i] === 0) {
      this.chosen[i] = 1;
      this.count += 1;
    }
  }
  fill(): void {
    for (let i = 0; i < this.size && !this.full; i++) this.take(i);
  }
}

/** Counters per small key, reused from list to list (only the keys touched are cleared). */
class Tally {
  private values: Int32Array;
  readonly touched: number[] = [];
  constructor(size: number) {
    this.values = new Int32Array(size).fill(-1);
  }
  get(key: number): number {
    return this.values[key]!;
  }
  set(key: number, value: number): void {
    if (this.values[key] === -1) this.touched.push(key);
    this.values[key] = value;
  }
  add(key: number): void {
    this.set(key, this.values[key] === -1 ? 1 : this.values[key]! + 1);
  }
  clear(): void {
    for (const key of this.touched) this.values[key] = -1;
    this.touched.length = 0;
  }
}

function holderCutter(ctx: Holders, cap: number): <O extends IpcObject>(o: O) => O {
  /* pids not among the processes form one group of their own */
  const unknown = ctx.groups.length;
  const groups = [...ctx.groups, { ppid: -1, comm: '' }];
  const choose = new Chooser(cap);
  const lowest = new Tally(groups.length * 3);
  const size = new Tally(groups.length);
  const omitted = new Tally(groups.length * 3);
  let group = new Int32Array(0);
  return <O extends IpcObject>(o: O): O => {
    const hs = o.holders;
    const sleepers = ctx.sleepers.get(o.id);
    choose.reset(hs.length);
    if (group.length < hs.length) group = new Int32Array(hs.length);
    for (let i = 0; i < hs.length; i++) {
      const h = hs[i]!;
      const g = ctx.groupOf.get(h.pid) ?? unknown;
      group[i] = g;
      size.add(g);
      const key = g * 3 + ACCESS_INDEX[h.access];
      const at = lowest.get(key);
      if (at === -1 || h.pid < hs[at]!.pid) lowest.set(key, i);
      if (sleepers?.has(h.pid)) choose.take(i);
    }
    for (const i of lowest.touched.map((key) => lowest.get(key)).sort((a, b) => hs[a]!.pid - hs[b]!.pid)) choose.take(i);
    for (let i = 0; i < hs.length && !choose.full; i++) if (size.get(group[i]!) <= WHOLE_GROUP) choose.take(i);
    for (let i = 0; i < hs.length && !choose.full; i++) if (hs[i]!.access !== 'w') choose.take(i);
    choose.fill();
    const kept: Holder[] = [];
    for (let i = 0; i < hs.length; i++) {
      if (choose.chosen[i]) kept.push(hs[i]!);
      else omitted.add(group[i]! * 3 + ACCESS_INDEX[hs[i]!.access]);
    }
    const counts: HolderCount[] = omitted.touched.map((key) => {
      const g = groups[Math.floor(key / 3)]!;
      return { ppid: g.ppid, comm: g.comm, access: ACCESSES[key % 3]!, count: omitted.get(key) };
    });
    lowest.clear();
    size.clear();
    omitted.clear();
    return { ...o, holders: kept, holdersTotal: hs.length, holdersOmitted: counts };
  };
}

/** What a descriptor is open on, as FdCount.kind: the object id's kind ("pipe:4614" -> "pipe", "file:/x" -> "file"). */
export function fdKind(fd: FdEntry): string {
  const colon = fd.object.indexOf(':');
  return colon < 0 ? fd.object : fd.object.slice(0, colon);
}

/* descriptors' kinds are few ("pipe", "file", "unix" ...): a process's distinct (kind, access) pairs fit this many counters */
const MAX_FD_KEYS = 3 * 64;

function fdCutter(cap: number): (p: ProcessInfo, focus: Set<number> | undefined) => ProcessInfo {
  const choose = new Chooser(cap);
  const lowest = new Tally(MAX_FD_KEYS);
  const omitted = new Tally(MAX_FD_KEYS);
  let keyOf = new Int32Array(0);
  return (p, focus) => {
    const fds = p.fds;
    choose.reset(fds.length);
    if (keyOf.length < fds.length) keyOf = new Int32Array(fds.length);
    /* "pipe:" and the like, matched with startsWith: no string is made per descriptor */
    const prefixes: string[] = [];
    const kinds: string[] = [];
    for (let i = 0; i < fds.length; i++) {
      const fd = fds[i]!;
      let k = prefixes.findIndex((prefix) => fd.object.startsWith(prefix));
      if (k === -1) {
        const kind = fdKind(fd);
        k = kinds.indexOf(kind);
        if (k === -1 || fd.object.indexOf(':') === -1) {
          k = kinds.length;
          kinds.push(kind);
          prefixes.push(fd.object.indexOf(':') === -1 ? `${fd.object}\0` : `${kind}:`);
        }
      }
      /* past MAX_FD_KEYS / 3 kinds, the rest share the last counter's kind: no process has that many */
      const key = Math.min(k, MAX_FD_KEYS / 3 - 1) * 3 + ACCESS_INDEX[fd.access];
      keyOf[i] = key;
      const at = lowest.get(key);
      if (at === -1 || fd.fd < fds[at]!.fd) lowest.set(key, i);
      if (fd.fd <= 2 || fd.fd === p.blocked?.fd || focus?.has(fd.fd)) choose.take(i);
    }
    for (const i of lowest.touched.map((key) => lowest.get(key)).sort((a, b) => fds[a]!.fd - fds[b]!.fd)) choose.take(i);
    choose.fill();
    const kept: FdEntry[] = [];
    for (let i = 0; i < fds.length; i++) {
      if (choose.chosen[i]) kept.push(fds[i]!);
      else omitted.add(keyOf[i]!);
    }
    const counts: FdCount[] = omitted.touched.map((key) => ({ kind: kinds[Math.floor(key / 3)]!, access: ACCESSES[key % 3]!, count: omitted.get(key) }));
    lowest.clear();
    omitted.clear();
    return { ...p, fds: kept, fdsTotal: fds.length, fdsOmitted: counts };
  };
}

/**
 * Puts a snapshot together: resolve the scope, scan each process, let each
 * kind probe describe its objects, then name every descriptor and every
 * blocked-on edge. A Sampler keeps /proc files and pidfds open between ticks.
 */
import { processCpuNs } from '../libc/cpu-clock';
import type { FdEntry, Holder, IpcObject, ProbeProblem, ProcessInfo, Snapshot } from '../model/snapshot-types';
import { classifyBlocked } from './blocked/blocked';
import { diagnose } from '../diagnose/index';
import { listDirectory, readSmallFile } from './process/fast-fs';
import { isIpcCandidate } from './process/fd-table';
import { OtherHolderCache, OtherLinkTables } from './process/holder-search';
import { changesOnlyThroughScope, scopeKeyOf, type ReusableSnapshot } from './process/idle-reuse';
import { createKindProbes, type ClosableKindProbe } from './kind-probes';
import { PidfdTable } from './process/pidfd';
import { ProcIoFiles } from './process/proc-io';
import { pipeReadingOf } from './kinds/pipe-reading';
import { posixShmName } from './kinds/posix-shm';
import { HeldProcFiles, OneShotProcFiles, type ProcFileReader } from './process/proc-files';
import { refreshIdleProcess, scanProcess, type ScannedProcessWithExtras } from './process/process-scan';
import { scanWholeMachine } from './pool/scan-pool';
import {
  DEFAULT_PROBE_OPTIONS,
  MAX_PEEK_BYTES,
  type HolderRef,
  type KindProbe,
  type KindProbeResult,
  type ProbeContext,
  type ProbeOptions,
  type ScannedFd,
} from './probe-types';
import { listAllPids, withDescendants } from './scope';
import { HeldSysvTables } from './kinds/sysvipc-table';

export type Scope = { pids: number[]; tree?: boolean } | { all: true };

export interface SamplerOptions extends Partial<ProbeOptions> {
  /** Keep /proc files open between samples (ticks). Default true. */
  holdFiles?: boolean;
  /** For PID-scoped snapshots, look through every other process for the other holders. Default true. */
  completeHolders?: boolean;
  /** How long a Sampler reuses that search (ms) while no new object appears. Default 1000. */
  holderRefreshMs?: number;
  /** Re-read descriptor tables at most this often (ms); 0 = every sample. `invalidate()` forces it. */
  fdRefreshMs?: number;
  /**
   * A process that has not run since the last sample is reused as it was for
   * up to this long (ms); then its stat and signal masks are read again,
   * which is what can change without it running (a new parent after the old
   * one died, a signal left pending while blocked or stopped). Default 1000.
   */
  idleRefreshMs?: number;
  /**
   * Whole-machine snapshots of 128 processes or more may be scanned on the
   * worker threads of scan-pool.ts, once a process has taken two. False keeps
   * every read on the calling thread. Default true.
   */
  parallel?: boolean;
  /** Read signal masks in whole-machine snapshots too (off by default: one more file per process). */
  signalsEverywhere?: boolean;
  /**
   * Read /proc/PID/io (ProcessInfo.io) for each process read afresh; one
   * reused because it has not run keeps its counts (no CPU time, no calls).
   * Not read in whole-machine snapshots scanned across threads. Default false.
   */
  readIo?: boolean;
}

const IDLE_REFRESH_MS = 1000;

/** A process as last read, when (ms) its slow parts were, and its descriptor count then. */
interface PreviousScan {
  scan: ScannedProcessWithExtras;
  at: number;
  fdCount: number;
}

/** The holders index of the latest sample, and what it was built from (see Sampler.holdersIndex). */
interface HoldersIndex {
  /** Each scanned process's descriptor list, in scan order: the same arrays hold the same descriptors. */
  fdLists: ScannedFd[][];
  /** The targets the scanned processes hold: what the search for other holders is asked. */
  held: Set<string>;
  /** The search's answer merged in (OtherHolderCache keeps one Map per search), null when none was. */
  extra: ReadonlyMap<string, Holder[]> | null;
  holdersByTarget: Map<string, HolderRef[]>;
}

/**
 * How the app and `ipcscope watch` tick: a process's CPU time is read every
 * tick; one that has not run is reused as it was (its stat and signal masks
 * re-read every second), and when none of the watched processes has run and
 * nothing outside them can reach what they hold, the whole previous snapshot
 * is. A process that ran gets stat/wchan/syscall re-read; its descriptor
 * table, maps and signal masks every 200 ms or when its descriptor count
 * changes (one fstat). Fills are re-read whenever a holder ran. A System V
 * table (/proc/sysvipc) found empty is looked at again every 200 ms; one
 * with objects on every tick.
 */
export const WATCH_SAMPLER_OPTIONS: Readonly<SamplerOptions> = { fdRefreshMs: 200 };

export class Sampler {
  private readonly options: ProbeOptions;
  private readonly reader: ProcFileReader;
  private readonly pidfds = new PidfdTable();
  private readonly probes: ClosableKindProbe[];
  private readonly otherHolders: OtherHolderCache | null;
  private readonly peerHolders: OtherHolderCache | null;
  private readonly fdRefreshMs: number;
  private readonly idleRefreshMs: number;
  private readonly signalsEverywhere: boolean;
  private readonly parallel: boolean;
  private readonly previous = new Map<number, PreviousScan>();
  private index: HoldersIndex | null = null;
  /** For each probe that says what it reaches: whether the targets of a holders index include any. */
  private readonly reach = new Map<KindProbe, { index: Map<string, HolderRef[]>; any: boolean }>();
  /** The processes scanned when exited ones were last forgotten, and when (ms). */
  private forgotFor: number[] = [];
  private forgotAt = -Infinity;
  /** The last snapshot, when it can only change through its own processes (see idle-reuse.ts). */
  private reusable: ReusableSnapshot | null = null;
  /** Held open between ticks, like the /proc/PID files. */
  private readonly sysvTables: HeldSysvTables | null;
  /** /proc/PID/io files, when asked for (held between ticks like the others). */
  private readonly io: ProcIoFiles | null;
  /** Each probe's latest answer, and for which scope: what a failed collect shows instead of nothing. */
  private readonly lastCollected = new Map<KindProbe, { scopeKey: string; result: KindProbeResult }>();

  constructor(options: SamplerOptions = {}) {
    this.options = { ...DEFAULT_PROBE_OPTIONS, ...stripUndefined(options) };
    this.options.peekBytes = Math.max(0, Math.min(MAX_PEEK_BYTES, Math.floor(this.options.peekBytes)));
    this.reader = options.holdFiles === false ? new OneShotProcFiles() : new HeldProcFiles();
    this.sysvTables = options.holdFiles === false ? null : new HeldSysvTables(options.fdRefreshMs ?? 0);
    const complete = options.completeHolders !== false;
    const linkTables = new OtherLinkTables();
    this.otherHolders = complete ? new OtherHolderCache(options.holderRefreshMs ?? 1000, linkTables) : null;
    this.peerHolders = complete ? new OtherHolderCache(options.holderRefreshMs ?? 1000, linkTables) : null;
    this.fdRefreshMs = options.fdRefreshMs ?? 0;
    this.idleRefreshMs = options.idleRefreshMs ?? IDLE_REFRESH_MS;
    this.signalsEverywhere = options.signalsEverywhere ?? false;
    this.parallel = options.parallel ?? true;
    this.probes = createKindProbes(this.pidfds);
    this.io = options.readIo ? new ProcIoFiles(options.holdFiles !== false) : null;
  }

  /** Forces the next sample to re-read descriptor tables (e.g. right after a close()). */
  invalidate(): void {
    this.previous.clear();
    this.index = null;
    this.reusable = null;
    this.sysvTables?.forget();
    this.otherHolders?.clear();
    this.peerHolders?.clear();
  }

  sample(scope: Scope): Snapshot {
    const started = performance.now();
    const wholeMachine = 'all' in scope;
    const requested = wholeMachine ? listAllPids() : scope.tree ? withDescendants(scope.pids) : [...new Set(scope.pids)];
    const problems: ProbeProblem[] = [];
    const processes = new Map<number, ScannedProcessWithExtras>();
    const idle = new Set<number>();
    let unchanged = 0;
    const now = Date.now();
    const takenAt = now;
    // Options for full reads, worked out on the first one: a watch tick often has none.
    // (No closure here: one made per tick costs more than it saves at 60 Hz.)
    let slowOptions: ProbeOptions | null = null;
    // The whole machine with nothing kept between samples: scanned across threads (scan-pool.ts).
    if (wholeMachine && this.fdRefreshMs === 0 && this.parallel) slowOptions = this.slowReadOptions(wholeMachine);
    const pooled = slowOptions ? scanWholeMachine(requested, slowOptions) : null;
    for (const [pid, scanned] of pooled ?? []) {
      if (!scanned) continue;
      if (!scanned.readable && scanned.error) problems.push({ pid, reason: scanned.error });
      processes.set(pid, scanned);
    }
    for (const pid of pooled ? [] : requested) {
      const previous = this.previous.get(pid);
      // read before anything else: a change after this read shows at the next tick
      const cpuNs = this.fdRefreshMs > 0 ? processCpuNs(pid) : null;
      if (previous && cpuNs !== null && previous.scan.cpuNs === cpuNs) {
        // Its CPU time (all threads) has not moved: it has not been on a CPU
        // since, so its syscall, wait, descriptors and maps are as they were.
        const scan = now - previous.at < this.idleRefreshMs ? previous.scan : this.refreshIdle(pid, previous, now);
        if (scan) {
          idle.add(pid);
          if (scan === previous.scan) unchanged++;
          processes.set(pid, scan);
          continue;
        }
      }
      // one fstat of /proc/PID/fd notices an open or close between full refreshes
      const fdCountNow = previous && now - previous.at < this.fdRefreshMs ? this.reader.fdCount(pid) : -1;
      const readSlow = !previous || now - previous.at >= this.fdRefreshMs || (fdCountNow > 0 && fdCountNow !== previous.fdCount);
      const options = readSlow ? (slowOptions ??= this.slowReadOptions(wholeMachine)) : this.options;
      const scanned = scanProcess(pid, this.reader, {
        options,
        reuse: readSlow ? undefined : previous?.scan,
        ipcFdsOnly: wholeMachine,
        cpuNs,
      });
      if (!scanned) {
        if (!wholeMachine) problems.push({ pid, reason: 'no such process' });
        continue;
      }
      if (this.io) {
        const io = this.io.read(pid);
        if (io) scanned.io = io;
      }
      // a table read again and found as it was keeps its identity: what was built from it holds
      if (readSlow && previous && sameDescriptors(previous.scan.fds, scanned.fds)) scanned.fds = previous.scan.fds;
      if (this.fdRefreshMs > 0) {
        // the latest scan is the next tick's baseline; the refresh clock only moves on full reads
        const at = readSlow || !previous ? now : previous.at;
        const fdCount = fdCountNow > 0 ? fdCountNow : readSlow || !previous ? this.reader.fdCount(pid) : previous.fdCount;
        if (previous) {
          // updated in place: nothing else holds it, and a tick then allocates nothing for it
          previous.scan = scanned;
          previous.at = at;
          previous.fdCount = fdCount;
        } else {
          this.previous.set(pid, { scan: scanned, at, fdCount });
        }
      }
      if (!scanned.readable && scanned.error) problems.push({ pid, reason: scanned.error });
      processes.set(pid, scanned);
    }
    const scopeKey = wholeMachine ? '' : scopeKeyOf(requested);
    const reusable = this.reusable;
    if (reusable && reusable.scopeKey === scopeKey && unchanged === requested.length) {
      // no watched process has run, and nothing else can reach what they hold
      return { ...reusable.snapshot, takenAt, durationMs: performance.now() - started };
    }
    const scannedPids = new Set(processes.keys());
    // Exited processes show as a change in who was scanned; the periodic pass
    // also lets go of pidfds borrowed from holders outside the scope.
    if (now - this.forgotAt >= this.fdRefreshMs || !sameKeys(this.forgotFor, processes)) {
      this.forgetExited(scannedPids);
      this.forgotFor = [...scannedPids];
      this.forgotAt = now;
    }

    const holdersByTarget = this.holdersIndex(processes, wholeMachine ? null : this.otherHolders, scannedPids, now);
    const ctx: ProbeContext = {
      processes,
      holdersByTarget,
      options: this.options,
      wholeMachine,
      claimed: new Set(),
      idle,
      readSysvTable: this.sysvTables?.read,
    };
    const objects: IpcObject[] = [];
    const objectOfTarget = new Map<string, string>();
    const waits = new Map<number, string>();
    // An empty PID scope has no objects: skip the kernel-wide sources.
    const probes = !wholeMachine && processes.size === 0 ? [] : this.probes;
    for (const probe of probes) {
      if (!this.mayReport(probe, ctx)) {
        this.lastCollected.delete(probe);
        continue;
      }
      let result: KindProbeResult;
      try {
        result = probe.collect(ctx);
        this.lastCollected.set(probe, { scopeKey, result });
      } catch (error) {
        // one kernel source failing (netlink refused, say) never stops the snapshot
        const reason = `${probe.name}: ${error instanceof Error ? error.message : String(error)}`;
        problems.push({ pid: 0, reason });
        result = this.lastResultOf(probe, scopeKey, reason);
      }
      for (const problem of result.problems ?? []) problems.push({ pid: 0, reason: `${probe.name}: ${problem}` });
      for (const [pid, object] of result.waits ?? []) waits.set(pid, object);
      objects.push(...result.objects);
      for (const [target, id] of result.targets) {
        objectOfTarget.set(target, id);
        ctx.claimed.add(target);
      }
    }
    if (!wholeMachine && this.peerHolders) this.fillPeerHolders(objects, scannedPids, now);
    const infos = [...processes.values()].map((proc) => describeProcess(proc, objectOfTarget, waits.get(proc.pid) ?? null));
    const snapshot: Snapshot = { takenAt, durationMs: performance.now() - started, processes: infos, objects, problems };
    const reusableNext = this.fdRefreshMs > 0 && !wholeMachine && changesOnlyThroughScope(snapshot, scannedPids);
    this.reusable = reusableNext ? { scopeKey, snapshot } : null;
    return snapshot;
  }

  /**
   * What a probe whose kernel source failed this time reports: its previous
   * answer for the same scope, each object marked stale with the reason. A
   * failed read is never a change in the kernel: without this a watch would
   * report every object of that kind closed, and opened again a tick later.
   */
  private lastResultOf(probe: KindProbe, scopeKey: string, reason: string): KindProbeResult {
    const last = this.lastCollected.get(probe);
    if (!last || last.scopeKey !== scopeKey) return { objects: [], targets: new Map() };
    const objects = last.result.objects.map((o) => ({ ...o, holders: [...o.holders], stale: reason }));
    return { objects, targets: last.result.targets };
  }

  /**
   * Descriptor target -> holders over the scanned processes, with the other
   * holders `search` found. Built again only when some process's descriptor
   * list (by identity) or the search's answer changed: between descriptor-table
   * refreshes a watch tick gets the index of the previous one, built from the
   * very same descriptors, and the same Map object.
   */
  private holdersIndex(
    processes: Map<number, ScannedProcessWithExtras>,
    search: OtherHolderCache | null,
    scanned: Set<number>,
    now: number,
  ): Map<string, HolderRef[]> {
    let index = this.index;
    let built = false;
    if (!index || !sameDescriptorLists(index.fdLists, processes)) {
      const holdersByTarget = indexHolders(processes);
      const fdLists: ScannedFd[][] = [];
      for (const proc of processes.values()) fdLists.push(proc.fds);
      index = { fdLists, held: new Set(holdersByTarget.keys()), extra: null, holdersByTarget };
      built = true;
    }
    const extra = search ? search.lookup(index.held, scanned, now) : null;
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
   * Whether `probe` may have anything to report: not while its System V table
   * is known empty, nor, in a PID scope, while the scanned processes hold and
   * map nothing it reaches (the held targets looked at once per holders index).
   */
  private mayReport(probe: KindProbe, ctx: ProbeContext): boolean {
    if (probe.sysvTable !== undefined && this.sysvTables?.knownEmpty(probe.sysvTable)) return false;
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

  /**
   * The far end of a socket has its own inode, held by a process we did not
   * scan: find the holders of such peer sockets (cached like the search above).
   */
  private fillPeerHolders(objects: IpcObject[], scanned: Set<number>, now: number): void {
    const orphans = new Map<string, IpcObject>();
    for (const object of objects) {
      if ((object.kind === 'unix' || object.kind === 'tcp' || object.kind === 'udp') && object.holders.length === 0) {
        orphans.set(`socket:[${object.inode}]`, object);
      }
    }
    if (orphans.size === 0) return;
    const found = this.peerHolders!.lookup(new Set(orphans.keys()), scanned, now);
    for (const [target, holders] of found) orphans.get(target)?.holders.push(...holders);
  }

  private forgetExited(pids: Set<number>): void {
    if (!(this.reader instanceof HeldProcFiles)) return;
    this.reader.retain(pids);
    this.pidfds.retain(pids);
    this.io?.retain(pids);
    for (const pid of this.previous.keys()) if (!pids.has(pid)) this.previous.delete(pid);
  }

  /** Options for reading a process in full: maps only when shared memory exists to be found in them. */
  private slowReadOptions(wholeMachine: boolean): ProbeOptions {
    return {
      ...this.options,
      readMaps: this.options.readMaps && sharedMemoryExists(this.sysvTables),
      // signal masks cost a /proc/PID/status read each: for the whole machine only when asked
      readSignals: this.options.readSignals && (!wholeMachine || this.signalsEverywhere),
    };
  }

  /** An idle process due for its periodic read: only what can change without it running. */
  private refreshIdle(pid: number, previous: PreviousScan, now: number): ScannedProcessWithExtras | null {
    const scan = refreshIdleProcess(pid, this.reader, previous.scan);
    if (scan) this.previous.set(pid, { ...previous, scan, at: now });
    return scan;
  }

  close(): void {
    this.reader.close();
    this.sysvTables?.close();
    this.pidfds.close();
    this.io?.close();
    for (const probe of this.probes) probe.close?.();
  }
}

/** One snapshot, with nothing held afterwards, and what it shows wrong (diagnoses: a pure pass over it). */
export function takeSnapshot(scope: Scope, options: SamplerOptions = {}): Snapshot {
  const sampler = new Sampler({ ...options, holdFiles: false });
  try {
    const snapshot = sampler.sample(scope);
    return { ...snapshot, diagnoses: diagnose(snapshot) };
  } finally {
    sampler.close();
  }
}

/**
 * Maps are read only when some shared memory exists to be found in them (an
 * unreadable table counts as some). A Sampler's held table costs one pread.
 */
function sharedMemoryExists(tables: HeldSysvTables | null): boolean {
  if ((listDirectory('/dev/shm') ?? []).length > 0) return true;
  if (tables) {
    const rows = tables.rowsNow('shm');
    return rows === null || rows.length > 0;
  }
  const table = readSmallFile('/proc/sysvipc/shm');
  return table === null || table.trim().includes('\n');
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

/** True when `fdLists` are, in order and by identity, the descriptor lists of `processes`. */
function sameDescriptorLists(fdLists: ScannedFd[][], processes: Map<number, ScannedProcessWithExtras>): boolean {
  if (fdLists.length !== processes.size) return false;
  let i = 0;
  for (const proc of processes.values()) if (fdLists[i++] !== proc.fds) return false;
  return true;
}

/* Every field of a ScannedFd (a new one fails to compile until it is named here): what two reads must agree on. */
const SCANNED_FD_FIELDS: Record<keyof ScannedFd, true> = { fd: true, target: true, inode: true, access: true, fileType: true, dev: true };
const FD_FIELD_NAMES = Object.keys(SCANNED_FD_FIELDS) as Array<keyof ScannedFd>;

/** True when two reads of a descriptor table found the same descriptors, every field alike. */
function sameDescriptors(a: readonly ScannedFd[], b: readonly ScannedFd[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (const field of FD_FIELD_NAMES) if (x[field] !== y[field]) return false;
    // a whole-machine scan's pipe reading belongs to that scan
    if (pipeReadingOf(x) !== undefined || pipeReadingOf(y) !== undefined) return false;
  }
  return true;
}

/** True when `pids` are, in order, the keys of `processes`. */
function sameKeys(pids: number[], processes: Map<number, unknown>): boolean {
  if (pids.length !== processes.size) return false;
  let i = 0;
  for (const pid of processes.keys()) if (pids[i++] !== pid) return false;
  return true;
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

function describeProcess(proc: ScannedProcessWithExtras, objectOfTarget: Map<string, string>, waitsOn: string | null): ProcessInfo {
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

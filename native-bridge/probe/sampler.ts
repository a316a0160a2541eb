/**
 * Puts a snapshot together: resolve the scope, read each process (the
 * per-process part, cold cadence and table budget included, is in
 * sampler-scan.ts), let each kind probe describe its objects (kernel-wide
 * sources on their own cadence: kind-cadence.ts), then name every descriptor
 * and every blocked-on edge. A Sampler keeps /proc files and pidfds open
 * between ticks. Its options are in sampler-options.ts, its holders index in
 * sampler-holders.ts, the description of a process in sampler-describe.ts.
 */
import type { ProbeProblem, Snapshot } from '../model/snapshot-types';
import { diagnose } from '../diagnose/index';
import { OtherHolderCache, OtherLinkTables } from './process/holder-search';
import { changesOnlyThroughScope, scopeKeyOf, type ReusableSnapshot } from './process/idle-reuse';
import { createKindProbes, type ClosableKindProbe } from './kind-probes';
import { PidfdTable } from './process/pidfd';
import { ProcIoFiles } from './process/proc-io';
import { HeldProcFiles, OneShotProcFiles, type ProcFileReader } from './process/proc-files';
import type { ScannedProcessWithExtras } from './process/process-scan';
import { scanWholeMachine } from './pool/scan-pool';
import { DEFAULT_PROBE_OPTIONS, MAX_PEEK_BYTES, type KindProbe, type ProbeContext, type ProbeOptions } from './probe-types';
import { AllPids, withDescendants } from './scope';
import { HeldSysvTables } from './kinds/sysv/sysvipc-table';
import { IDLE_REFRESH_MS, sharedMemoryExists, stripUndefined, type SamplerOptions, type Scope } from './sampler-options';
import { fillPeerHolders, HoldersIndexCache } from './sampler-holders';
import { ProcessDescriptions } from './sampler-describe';
import { sameKeys } from './sampler-compare';
import { DiagnosisTracker, type CounterReading } from './sampler-diagnoses';
import { collectObjects, type LastCollected } from './sampler-collect';
import { ColdCadence } from './cold-cadence';
import { ProcessScans, type SamplePass } from './sampler-scan';
import { KindCadence } from './kind-cadence';
import { TableBudget, UNLIMITED, type ReadBudget } from './process/table-budget';

export { idleRefreshDue, LESSON_TABLE_BUDGET, WATCH_SAMPLER_OPTIONS, type SamplerOptions, type Scope } from './sampler-options';

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
  /** Each process's last scan, and the per-process part of a sample (sampler-scan.ts). */
  private readonly scans: ProcessScans;
  private readonly holders = new HoldersIndexCache();
  /** The processes scanned when exited ones were last forgotten, and when (ms). */
  private forgotFor: number[] = [];
  private forgotAt = -Infinity;
  /** The last snapshot, when it can only change through its own processes (see idle-reuse.ts). */
  private reusable: (ReusableSnapshot & { scanned: ReadonlySet<number>; verdict?: boolean }) | null = null;
  /** Held open between ticks, like the /proc/PID files. */
  private readonly sysvTables: HeldSysvTables | null;
  /** /proc/PID/io files, when asked for (held between ticks like the others). */
  private readonly io: ProcIoFiles | null;
  /** Each probe's latest answer, and for which scope: what a failed collect shows instead of nothing. */
  private readonly lastCollected: LastCollected = new Map();
  private readonly diagnoses: DiagnosisTracker | null;
  /** Each process's CPU clock as the last read() scanned it, and when: where the diagnoses measure a sleep from. */
  private scanClocks = new Map<number, CounterReading>();
  /** The previous sample's process descriptions, reused for processes that have not run (sampler-describe.ts). */
  private readonly descriptions = new ProcessDescriptions();
  /** Every PID, listed again only after a new PID was handed out (scope.ts). */
  private readonly allPids = new AllPids();
  /** Set by invalidate(): the next sample reuses a scan only for a process seen not running (see invalidate). */
  private verifyIdle = false;
  /** The other processes' descriptor links the holder search read (a process's first scan may take them). */
  private readonly linkTables: OtherLinkTables;
  /** Whole-machine mode: how often a process that has not run is checked (cold-cadence.ts). */
  private readonly cadence: ColdCadence;
  /** Whole-machine mode: when the kernel-wide sources are read again (kind-cadence.ts). */
  private readonly kinds: KindCadence;
  /** Per sample, how long reading tables not read before may take (PID scopes; null: no limit). */
  private readonly tableBudget: TableBudget | null;
  /** Whether the last sample left some of the scope's tables unread (the passes are reading them). */
  private unreadBefore = false;

  constructor(options: SamplerOptions = {}) {
    this.options = { ...DEFAULT_PROBE_OPTIONS, ...stripUndefined(options) };
    this.options.peekBytes = Math.max(0, Math.min(MAX_PEEK_BYTES, Math.floor(this.options.peekBytes)));
    this.reader = options.holdFiles === false ? new OneShotProcFiles() : new HeldProcFiles();
    this.sysvTables = options.holdFiles === false ? null : new HeldSysvTables(options.fdRefreshMs ?? 0);
    const complete = options.completeHolders !== false;
    const linkTables = new OtherLinkTables();
    this.linkTables = linkTables;
    this.otherHolders = complete ? new OtherHolderCache(options.holderRefreshMs ?? 1000, linkTables) : null;
    this.peerHolders = complete ? new OtherHolderCache(options.holderRefreshMs ?? 1000, linkTables) : null;
    this.fdRefreshMs = options.fdRefreshMs ?? 0;
    this.idleRefreshMs = options.idleRefreshMs ?? IDLE_REFRESH_MS;
    this.signalsEverywhere = options.signalsEverywhere ?? false;
    this.parallel = options.parallel ?? true;
    this.probes = createKindProbes(this.pidfds);
    this.io = options.readIo ? new ProcIoFiles(options.holdFiles !== false) : null;
    this.cadence = new ColdCadence(options.coldAfterMs, options.coldRecheckMs);
    this.kinds = new KindCadence(this.cadence.recheckMs);
    this.diagnoses = options.diagnose ? new DiagnosisTracker(options.diagnose === true ? {} : options.diagnose) : null;
    this.tableBudget = options.tableBudget && complete && this.fdRefreshMs > 0 ? new TableBudget(options.tableBudget) : null;
    this.scans = new ProcessScans({
      reader: this.reader,
      options: this.options,
      io: this.io,
      linkTables,
      allPids: this.allPids,
      cadence: this.cadence,
      fdRefreshMs: this.fdRefreshMs,
      idleRefreshMs: this.idleRefreshMs,
      slowReadOptions: (wholeMachine) => this.slowReadOptions(wholeMachine),
    });
  }

  /**
   * Forces the next sample to re-read the descriptor tables of processes that
   * may have run (e.g. right after a close()). A process's CPU clock counts a
   * run that is still going on only up to the last scheduler tick, so after
   * an invalidate a previous scan is kept only for a process found not
   * running (its stat, read before its clock) whose clock has not moved: it
   * was switched out before that stat read, which would have moved the clock
   * had it run since. A thousand pool workers asleep in read are then not
   * read again after every step (~500,000 descriptors with the trap).
   */
  invalidate(): void {
    this.verifyIdle = true;
    this.reusable = null;
    this.allPids.forget();
    this.sysvTables?.forget();
    this.kinds.forget();
    this.otherHolders?.clear();
    this.peerHolders?.clear();
  }

  /** One sample of `scope`, diagnosed when the Sampler was asked to (sampler-diagnoses.ts). */
  sample(scope: Scope): Snapshot {
    const snapshot = this.read(scope);
    return this.diagnoses ? this.diagnoses.attach(snapshot, this.scanClocks) : snapshot;
  }

  private read(scope: Scope): Snapshot {
    const started = performance.now();
    const wholeMachine = 'all' in scope;
    const requested = wholeMachine ? this.allPids.list() : scope.tree ? withDescendants(scope.pids) : [...new Set(scope.pids)];
    const problems: ProbeProblem[] = [];
    const processes = new Map<number, ScannedProcessWithExtras>();
    const now = Date.now();
    const takenAt = now;
    // Options for full reads, worked out on the first one: a watch tick often has none.
    let slowOptions: ProbeOptions | null = null;
    // whole machine without signal masks: an idle process changes only when its parent exits (refreshOrphans)
    const slowSignals = this.options.readSignals && (!wholeMachine || this.signalsEverywhere);
    // The whole machine with nothing kept between samples: scanned across threads (scan-pool.ts).
    if (wholeMachine && this.fdRefreshMs === 0 && this.parallel) slowOptions = this.slowReadOptions(wholeMachine);
    const pooled = slowOptions ? scanWholeMachine(requested, slowOptions) : null;
    for (const [pid, scanned] of pooled ?? []) {
      if (!scanned) continue;
      if (!scanned.readable && scanned.error) problems.push({ pid, reason: scanned.error });
      processes.set(pid, scanned);
    }
    const verifyIdle = this.verifyIdle;
    this.verifyIdle = false;
    const scanClocks = this.diagnoses ? new Map<number, CounterReading>() : null;
    if (scanClocks) this.scanClocks = scanClocks;
    const cadence = wholeMachine && !verifyIdle && this.fdRefreshMs > 0 ? this.cadence : null;
    this.cadence.begin();
    // a PID scope's tables not read before are read a budget at a time: the rest by the search's passes
    const budget: ReadBudget = !wholeMachine && this.tableBudget ? this.tableBudget.begin(this.linkTables.behind || this.unreadBefore) : UNLIMITED;
    const pass: SamplePass = {
      wholeMachine,
      now,
      verifyIdle,
      cadence,
      budget,
      unreadBefore: this.unreadBefore,
      scanClocks,
      slowSignals,
      slowOptions,
      processes,
      idle: new Set(),
      unchanged: 0,
      waited: new Map(),
      unread: new Set(),
      problems,
    };
    if (!pooled) for (const pid of requested) this.scans.scanOne(pass, pid);
    if (wholeMachine && !slowSignals) this.scans.refreshOrphans(pass);
    const { idle, unchanged, waited, unread } = pass;
    const scopeKey = wholeMachine ? '' : scopeKeyOf(requested);
    const reusable = this.reusable;
    // whether it can only change through its own processes is asked only when none of them has run
    if (reusable && reusable.scopeKey === scopeKey && unchanged === requested.length && (reusable.verdict ??= changesOnlyThroughScope(reusable.snapshot, reusable.scanned))) {
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

    if (this.tableBudget && !wholeMachine) {
      this.linkTables.wantTables(unread);
      this.unreadBefore = unread.size > 0;
      // the passes go on even while the scope holds nothing known to search for (every table unread)
      if (unread.size > 0 || this.linkTables.behind) this.linkTables.refresh(scannedPids, budget, now);
    }
    const holdersByTarget = this.holders.holdersIndex(processes, wholeMachine ? null : this.otherHolders, scannedPids, now, budget);
    const ctx: ProbeContext = {
      processes,
      holdersByTarget,
      options: this.options,
      wholeMachine,
      claimed: new Set(),
      idle,
      readSysvTable: this.sysvTables?.read,
    };
    if (cadence) ctx.recheck = { now, ms: cadence.recheckMs };
    // An empty PID scope has no objects: skip the kernel-wide sources.
    const probes = !wholeMachine && processes.size === 0 ? [] : this.probes;
    if (cadence) this.kinds.begin(ctx);
    const kinds = cadence ? { kinds: this.kinds, now } : null;
    const { objects, objectOfTarget, waits } = collectObjects(probes, ctx, scopeKey, this.lastCollected, (probe) => this.mayReport(probe, ctx), problems, kinds);
    if (!wholeMachine && this.peerHolders) fillPeerHolders(objects, this.peerHolders, scannedPids, now, budget);
    if (cadence) cadence.watchPipes(objects);
    const infos = this.descriptions.describeAll(processes.values(), objectOfTarget, waits, waited);
    const snapshot: Snapshot = { takenAt, durationMs: performance.now() - started, processes: infos, objects, problems };
    if (cadence) snapshot.cadence = { coldAfterMs: cadence.coldAfterMs, recheckMs: cadence.recheckMs };
    const outside = this.tableBudget && !wholeMachine ? this.linkTables.unpublishedOutside(scannedPids) : 0;
    if (unread.size > 0 || outside > 0) snapshot.unreadTables = { inScope: unread.size, outside };
    // Judged when first wanted, not here: a process that runs at every tick (a lesson's Node actor) never lets
    // it be reused, and with a thousand pool workers the judgement looks at ~500,000 holders.
    // Nothing changes the snapshot's objects before then: the next sample asks first, before any probe runs.
    this.reusable = this.fdRefreshMs > 0 && !wholeMachine ? { scopeKey, snapshot, scanned: scannedPids } : null;
    return snapshot;
  }

  /**
   * Whether `probe` may have anything to report: not while its System V table
   * is known empty, nor, in a PID scope, while the scanned processes hold and
   * map nothing it reaches (the held targets looked at once per holders index).
   */
  private mayReport(probe: KindProbe, ctx: ProbeContext): boolean {
    if (probe.sysvTable !== undefined && this.sysvTables?.knownEmpty(probe.sysvTable)) return false;
    return this.holders.mayReach(probe, ctx);
  }

  private forgetExited(pids: Set<number>): void {
    if (!(this.reader instanceof HeldProcFiles)) return;
    this.reader.retain(pids);
    this.pidfds.retain(pids);
    this.io?.retain(pids);
    this.scans.retain(pids);
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

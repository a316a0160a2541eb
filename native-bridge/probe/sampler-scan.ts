/**
 * The per-process part of a sample: for each PID of the scope, whether its
 * last scan still stands (its CPU clock has not moved; a cold process not
 * due for a check, cold-cadence.ts), whether its descriptor table waits for
 * the table budget (sampler-unread.ts), or a scan (cheap between descriptor
 * refreshes, in full otherwise). What it finds goes into the sample's
 * SamplePass; what it keeps between samples is each process's last scan
 * with its marks. Sampler (sampler.ts) puts the rest of a snapshot together.
 */
import { processCpuNs } from '../libc/cpu-clock';
import type { ProbeProblem } from '../model/snapshot-types';
import type { ColdCadence, CadenceMarks } from './cold-cadence';
import type { OtherLinkTables } from './process/holder-search';
import type { ProcFileReader } from './process/proc-files';
import type { ProcIoFiles } from './process/proc-io';
import { refreshIdleProcess, scanProcess, type ScannedProcessWithExtras } from './process/process-scan';
import { offCpuNow } from './process/proc-stat';
import { UNLIMITED, type ReadBudget } from './process/table-budget';
import type { ProbeOptions } from './probe-types';
import { sameDescriptors } from './sampler-compare';
import type { CounterReading } from './sampler-diagnoses';
import { idleRefreshDue } from './sampler-options';
import { scanWithoutTable } from './sampler-unread';
import type { AllPids } from './scope';

/** A process as last read, when (ms) its slow parts were, its descriptor count then, and its cadence marks (cold-cadence.ts). */
export interface PreviousScan extends CadenceMarks {
  scan: ScannedProcessWithExtras;
  at: number;
  fdCount: number;
}

/** One sample's reading of its processes, filled PID by PID. */
export interface SamplePass {
  wholeMachine: boolean;
  /** Date.now() at the sample's start: its takenAt. */
  now: number;
  /** Set by Sampler.invalidate(): a previous scan stands only for a process seen off a CPU (see there). */
  verifyIdle: boolean;
  /** Whole machine (not after invalidate()): the cold cadence, else null. */
  cadence: ColdCadence | null;
  /** How long reading tables not read before may take in this sample (PID scopes). */
  budget: ReadBudget;
  /** Whether the previous sample left tables unread: new ones join the passes reading them. */
  unreadBefore: boolean;
  /** Each scanned process's CPU clock, when the diagnoses want them. */
  scanClocks: Map<number, CounterReading> | null;
  /** Whether idle processes' signal masks are read (not for the whole machine unless asked). */
  slowSignals: boolean;
  /** Options for full reads, worked out on the first one: a watch tick often has none. */
  slowOptions: ProbeOptions | null;
  processes: Map<number, ScannedProcessWithExtras>;
  /** Processes that have not run since the previous sample (their scan stands). */
  idle: Set<number>;
  /** How many processes' scans are the very objects of the previous sample. */
  unchanged: number;
  /** Cold processes shown as last confirmed, with when (ms). */
  waited: Map<number, number>;
  /** Processes listed without their descriptor table (the budget was spent). */
  unread: Set<number>;
  problems: ProbeProblem[];
}

/** What a ProcessScans reads with, and how often. */
export interface ProcessScanSettings {
  reader: ProcFileReader;
  options: ProbeOptions;
  io: ProcIoFiles | null;
  linkTables: OtherLinkTables;
  allPids: AllPids;
  cadence: ColdCadence;
  fdRefreshMs: number;
  idleRefreshMs: number;
  /** The options of a full read (maps only when shared memory exists to be found in them). */
  slowReadOptions(wholeMachine: boolean): ProbeOptions;
}

export class ProcessScans {
  /** Each process's last scan and marks, kept between samples. */
  readonly previous = new Map<number, PreviousScan>();
  constructor(private readonly settings: ProcessScanSettings) {}

  /** Reads `pid` into `pass`: its last scan when it stands, else what it takes. */
  scanOne(pass: SamplePass, pid: number): void {
    const { processes, idle, waited, unread, problems, now, wholeMachine, verifyIdle, cadence, budget, scanClocks, slowSignals } = pass;
    const { reader, options: tickOptions, io: ioFiles, linkTables, allPids, fdRefreshMs, idleRefreshMs } = this.settings;
    const previous = this.previous.get(pid);
    if (previous && cadence?.mayWait(pid, previous, now, allPids)) {
      idle.add(pid);
      pass.unchanged++;
      processes.set(pid, previous.scan);
      waited.set(pid, previous.checkedAt);
      return;
    }
    // its first scan: never scanned, or scanned without its table (sampler-unread.ts)
    const first = !previous || previous.scan.fdsUnread === true;
    // the holder search read its links: they may be its table (below)
    const searched = first && fdRefreshMs > 0 && linkTables.has(pid);
    // after invalidate(), or to take the search's links: whether it is off a CPU now, read before its clock
    const offCpu = fdRefreshMs > 0 && ((verifyIdle && !first) || searched) ? offCpuNow(reader, pid) : true;
    // read before anything else: a change after this read shows at the next tick
    const cpuNs = fdRefreshMs > 0 ? processCpuNs(pid) : null;
    // taken after the read: a sleep is measured from no earlier than the clock was read
    if (scanClocks && cpuNs !== null) scanClocks.set(pid, { value: cpuNs, at: Date.now() });
    if (previous && !first && offCpu && cpuNs !== null && previous.scan.cpuNs === cpuNs) {
      // Its CPU time (all threads) has not moved: it has not been on a CPU
      // since, so its syscall, wait, descriptors and maps are as they were.
      // the whole machine without signal masks re-reads an idle process only when it is orphaned (refreshOrphans)
      const due = !(wholeMachine && !slowSignals) && idleRefreshDue(pid, previous.at, now, idleRefreshMs);
      const scan = due ? this.refreshIdle(pid, previous, now) : previous.scan;
      if (scan) {
        const marks = this.previous.get(pid)!;
        marks.checkedAt = now;
        if (cadence?.isCold(marks, now)) waited.set(pid, now);
        idle.add(pid);
        if (scan === previous.scan) pass.unchanged++;
        processes.set(pid, scan);
        return;
      }
    }
    // off a CPU now and its clock as when the search read its links: it has not run since, they are its table
    const links = searched && offCpu && cpuNs !== null ? linkTables.linksIfUnchanged(pid, cpuNs) : null;
    // a table a pass read for it but that it changed since (a busy process) is read here: passes would chase it
    const chased = searched && previous !== undefined;
    if (first && !links && !chased && budget !== UNLIMITED && (budget.spent() || linkTables.behind || pass.unreadBefore)) {
      // the budget is spent, or the search's passes are reading others already: this table joins them
      const scan = scanWithoutTable(pid, reader, tickOptions, cpuNs, previous?.scan);
      if (!scan) {
        problems.push({ pid, reason: 'no such process' });
        return;
      }
      unread.add(pid);
      processes.set(pid, scan);
      if (previous) previous.scan = scan;
      else this.previous.set(pid, { scan, at: now, fdCount: -1, checkedAt: now, movedAt: now });
      return;
    }
    // one fstat of /proc/PID/fd notices an open or close between full refreshes
    const fdCountNow = !first && now - previous.at < fdRefreshMs ? reader.fdCount(pid) : -1;
    // after invalidate() every process that may have run is read in full
    const readSlow = verifyIdle || first || now - previous.at >= fdRefreshMs || (fdCountNow > 0 && fdCountNow !== previous.fdCount);
    const options = readSlow ? (pass.slowOptions ??= this.settings.slowReadOptions(wholeMachine)) : tickOptions;
    const since = performance.now();
    const scanned = scanProcess(pid, reader, {
      options,
      reuse: readSlow ? undefined : previous?.scan,
      ipcFdsOnly: wholeMachine,
      cpuNs,
      links,
    });
    if (first) budget.charge(since);
    if (!scanned) {
      if (!wholeMachine) problems.push({ pid, reason: 'no such process' });
      return;
    }
    if (ioFiles) {
      const io = ioFiles.read(pid);
      if (io) scanned.io = io;
    }
    // a table read again and found as it was keeps its identity: what was built from it holds
    if (readSlow && previous && sameDescriptors(previous.scan.fds, scanned.fds)) scanned.fds = previous.scan.fds;
    if (fdRefreshMs > 0) {
      // the latest scan is the next tick's baseline; the refresh clock only moves on full reads
      const at = readSlow || first ? now : previous.at;
      const fdCount = fdCountNow > 0 ? fdCountNow : readSlow || first ? reader.fdCount(pid) : previous.fdCount;
      if (previous) {
        // updated in place: nothing else holds it, and a tick then allocates nothing for it
        if (previous.scan.cpuNs !== cpuNs) previous.movedAt = now;
        previous.checkedAt = now;
        previous.scan = scanned;
        previous.at = at;
        previous.fdCount = fdCount;
      } else {
        this.previous.set(pid, { scan: scanned, at, fdCount, checkedAt: now, movedAt: now });
        // a new process: its parent forked it, so ran
        if (wholeMachine) this.settings.cadence.suspect(scanned.ppid);
      }
    }
    if (!scanned.readable && scanned.error) problems.push({ pid, reason: scanned.error });
    processes.set(pid, scanned);
  }

  /**
   * The whole machine, without signal masks: of what a process shows, only
   * its ppid can change while it does not run (comm is set by its own
   * threads, a state change wakes it), and only when its parent exits: the
   * kernel reparents the children in exit_notify, under the same lock that
   * makes the parent a zombie (Z) or dead (X). Every process is in
   * `processes`, so an idle process needs its stat read again only when its
   * parent is gone from this sample or shows Z/X; a reparenting done after
   * the parent was read shows at the next tick, like any change after a
   * read. (ppid 0: no parent in this PID namespace.) Replaces the periodic
   * idle refresh, ~100 stat reads a tick at +1000 processes.
   */
  refreshOrphans(pass: SamplePass): void {
    const { processes, idle, now } = pass;
    for (const pid of idle) {
      const scan = processes.get(pid)!;
      if (scan.ppid <= 0) continue;
      const parent = processes.get(scan.ppid);
      if (parent && parent.state !== 'Z' && parent.state !== 'X') continue;
      const previous = this.previous.get(pid);
      const fresh = previous ? this.refreshIdle(pid, previous, now) : null;
      // a cold process keeps its older checkedAt (only its stat was read): its clock is read at the next sample
      this.settings.cadence.suspect(pid);
      if (fresh) processes.set(pid, fresh);
      else {
        processes.delete(pid);
        idle.delete(pid);
      }
    }
  }

  /** Forgets every process not in `pids` (exited). */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.previous.keys()) if (!pids.has(pid)) this.previous.delete(pid);
  }

  /** An idle process due for its periodic read: only what can change without it running. */
  private refreshIdle(pid: number, previous: PreviousScan, now: number): ScannedProcessWithExtras | null {
    const scan = refreshIdleProcess(pid, this.settings.reader, previous.scan);
    if (scan) this.previous.set(pid, { ...previous, scan, at: now });
    return scan;
  }
}

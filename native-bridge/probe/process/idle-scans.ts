/**
 * Repeat whole-machine snapshots (the scan pool, with its held /proc files):
 * a process whose CPU clock (all its threads) reads what it read just before
 * its previous scan has not been on a CPU since. Its syscall, wait channel,
 * descriptor table and mappings are then as that scan read them: each
 * changes only by the process's own doing (another process that
 * shares the table through CLONE_FILES without being a thread of it is the
 * exception, and is not seen until the process runs).
 *
 * Its state and name change only when it runs too (a wake-up is followed
 * by running within microseconds: a full scan reads no more atomically).
 *
 * The clock of a process that is on a CPU right now counts only up to the
 * last scheduler tick (thread_group_cputime does not bring other CPUs'
 * running threads up to date): one that began running since the previous
 * snapshot, less than a tick ago (4 ms at HZ=250; up to a second on a
 * nohz_full CPU), still looks idle and shows as it was until the next
 * snapshot. That is no older than what a full scan of a thousand processes
 * has read by the time it ends.
 *
 * What can change while it sleeps is checked or read at every snapshot:
 * - that it is the same process (its pid may have been reused) and that its
 *   parent has not exited (it would have been reparented): see verified();
 *   otherwise it is scanned in full;
 * - the fill and capacity of each pipe it reads from, borrowed afresh
 *   (another process may have written);
 * - signal masks (a signal may be left pending): scans that read them are
 *   never reused.
 */
import { processCpuNs } from '../../libc/cpu-clock';
import { openedSize } from './fast-fs';
import type { HeldProcTable } from './held-proc-table';
import { borrowThroughTable } from './pidfd';
import { pipeKey, pipeReadingOf, readPipeFill, UNREAD_PIPE, type ReadScannedFd } from '../kinds/pipes/pipe-reading';
import type { ProbeOptions, ScannedFd } from '../probe-types';
import type { ScannedProcessWithExtras } from './process-scan';

interface Remembered {
  scan: ScannedProcessWithExtras;
  /** Its CPU clock (ns) read before that scan. */
  clock: number;
  readMaps: boolean;
}

export class IdleScans {
  private readonly previous = new Map<number, Remembered>();
  /** Pipes measured by the current pass: one reading each. */
  private readonly measured = new Set<string>();
  /** Parents found alive (or gone) in the current pass. */
  private readonly parents = new Map<number, boolean>();
  /** Each process's CPU clock read at the start of the current pass (-1: unreadable), by index. */
  private clocks = new Float64Array(0);

  constructor(private readonly table: HeldProcTable) {}

  /** Scans read with these options may be reused. */
  static applies(options: ProbeOptions): boolean {
    return !options.readSignals;
  }

  /**
   * Starts a pass: reads every process's CPU clock (before any of its
   * files), hands each process that has not run since its previous scan to
   * `take`, once it and its parent are found alive and its pipes measured
   * now, and returns the indexes of the others, to be scanned in full and
   * handed to remember().
   */
  reuse(pids: readonly number[], options: ProbeOptions, take: (index: number, scan: ScannedProcessWithExtras) => void): number[] {
    const clocks = new Float64Array(pids.length);
    for (let index = 0; index < pids.length; index++) clocks[index] = processCpuNs(pids[index]!) ?? -1;
    this.clocks = clocks;
    const rest: number[] = [];
    this.measured.clear();
    this.parents.clear();
    for (let index = 0; index < pids.length; index++) {
      const pid = pids[index]!;
      const before = this.previous.get(pid);
      // remembered clocks are never -1 (remember): an unreadable clock never matches
      const idle = before !== undefined && before.clock === clocks[index] && before.readMaps === options.readMaps;
      const scan = idle ? this.verified(pid, before.scan) : null;
      if (scan) take(index, scan);
      else rest.push(index);
    }
    return rest;
  }

  /**
   * The previous scan again, when the process and its parent are both still
   * the ones it was taken with; null otherwise. fstat of a held
   * /proc/PID/fd fails (ENOENT) once that process has exited, even when its
   * pid has been reused: nothing in reuse() opens files again, so a held
   * row still names the process a previous scan read.
   */
  private verified(pid: number, scan: ScannedProcessWithExtras): ScannedProcessWithExtras | null {
    if (!this.stillRunning(pid) || !this.parentStays(scan.ppid)) return null;
    const fds = this.measurePipes(pid, scan.fds);
    return fds === scan.fds ? scan : { ...scan, fds };
  }

  /** Whether the process a held row was opened for has not exited (false when nothing is held for it). */
  private stillRunning(pid: number): boolean {
    const dir = this.table.get(pid, 'fd');
    return dir >= 0 && openedSize(dir) >= 0;
  }

  /**
   * A process's parent changes without it running only when the parent
   * exits (it is then reparented): true while the same parent lives. Pid 0
   * (the parent of init and kthreadd) and this process never go away.
   */
  private parentStays(ppid: number): boolean {
    if (ppid === 0 || ppid === process.pid) return true;
    let alive = this.parents.get(ppid);
    if (alive === undefined) {
      alive = this.stillRunning(ppid);
      this.parents.set(ppid, alive);
    }
    return alive;
  }

  /** The descriptors with each pipe reading taken now (a copy), or `fds` itself when none has one. */
  private measurePipes(pid: number, fds: ScannedFd[]): ScannedFd[] {
    let fresh: ScannedFd[] | null = null;
    for (let i = 0; i < fds.length; i++) {
      const fd = fds[i]!;
      if (pipeReadingOf(fd) === undefined) continue;
      fresh ??= fds.slice();
      const key = pipeKey(fd)!;
      const copy: ReadScannedFd = { ...fd };
      if (this.measured.has(key)) {
        // measured through another holder in this pass: PipeProbe takes any holder's reading
        delete copy.pipeReading;
      } else {
        this.measured.add(key);
        copy.pipeReading = borrowThroughTable(this.table, pid, fd.fd, readPipeFill) ?? UNREAD_PIPE;
      }
      fresh[i] = copy;
    }
    return fresh ?? fds;
  }

  /** Keeps the full scan of the pass's process `index` (with the clock read before it) for the next snapshot. */
  remember(index: number, pid: number, scan: ScannedProcessWithExtras | null | undefined, options: ProbeOptions): void {
    const clock = this.clocks[index] ?? -1;
    if (scan && scan.readable && clock >= 0 && IdleScans.applies(options)) {
      this.previous.set(pid, { scan, clock, readMaps: options.readMaps });
    } else {
      this.previous.delete(pid);
    }
  }

  forget(pid: number): void {
    this.previous.delete(pid);
  }

  clear(): void {
    this.previous.clear();
  }
}

/**
 * An observation of real processes (command "observe"): which PIDs were
 * named, each with the start time it had then, so a PID the kernel hands to
 * a new process later is not taken for the old one.
 *
 * Opening one checks every named PID first and throws an ObserveError naming
 * the PID and the reason; nothing is changed then.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ObserveScope } from '../model/commands';
import type { ExitStatus, ObservingView } from '../model/frame-types';
import type { Snapshot } from '../model/snapshot-types';
import type { TrafficEntry } from '../model/traffic-types';
import { Sampler, WATCH_SAMPLER_OPTIONS, type Scope } from '../probe/index';
import { errnoCode, namedProcessProblem } from '../probe/process/named-process';
import { trafficBetween } from './observe-traffic';

export class ObserveError extends Error {
  override name = 'ObserveError';
}

interface Target {
  pid: number;
  /** /proc/PID/stat field 22 (starttime, clock ticks since boot): a PID and this name one process. */
  startTime: number;
}

/** starttime of /proc/PID/stat, or null when there is no such process. comm may hold ") ", so split at the last ")". */
export function startTimeOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  /* the fields after ") " start at field 3 (state): field 22 is the 20th of them */
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(rest[19]);
  return Number.isInteger(value) ? value : null;
}

/**
 * The named process must exist, be a process (not a thread: /proc/TID exists
 * too, hidden from readdir) and have a descriptor table we may read. That
 * read needs ptrace access (PTRACE_MODE_READ_FSCREDS): another user's process
 * gives EACCES unless we are root (KERNEL-FACTS: fd/N EACCES for another user).
 */
function checkTarget(pid: number): Target {
  const problem = namedProcessProblem(pid);
  if (problem !== null) throw new ObserveError(problem);
  try {
    readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ESRCH') throw new ObserveError(`no such process: ${pid} (it exited while being checked)`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ObserveError(
        `cannot observe process ${pid}: permission denied (${code}): it belongs to another user, and only its owner or root may read its descriptors (ptrace access)`,
      );
    }
    throw new ObserveError(`cannot observe process ${pid}: ${code}`);
  }
  const startTime = startTimeOf(pid);
  if (startTime === null) throw new ObserveError(`no such process: ${pid} (it exited while being checked)`);
  return { pid, startTime };
}

export class Observation {
  private readonly targets: Target[];
  /** Named PIDs seen gone (exited, or reused by another process): they never come back. */
  private readonly goneSet = new Set<number>();
  /** Set by `ipcscope run` once its command has ended. */
  private exit: ExitStatus | null = null;
  /**
   * Its own Sampler: no peeking (duplicating a stranger's descriptors would
   * make us a holder and could hold off its reader's EOF), /proc/PID/io read
   * for the traffic no sample catches queued.
   */
  private readonly sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readIo: true, diagnose: true });
  /** The latest snapshot, and the one kept as the last frame once `ipcscope run`'s command ended. */
  private latest: Snapshot | null = null;
  /**
   * The latest snapshot in which a process of the scope was alive (not a
   * zombie): the command's exit is seen (and reaped) a sample or more after
   * the fact, and the samples between show it dead or nothing at all.
   */
  private lastAlive: Snapshot | null = null;
  private frozen: Snapshot | null = null;
  /** What moved between the last two samples (empty once frozen: nothing runs any more). */
  private moved: TrafficEntry[] = [];

  private constructor(
    readonly request: ObserveScope,
    targets: Target[],
  ) {
    this.targets = targets;
  }

  /** Checks every PID (in order, first failure wins): throws an ObserveError naming it, opens nothing. */
  static check(request: ObserveScope): void {
    if (!('all' in request)) request.pids.forEach(checkTarget);
  }

  /** Checks every PID (as `check`) before anything changes; close() the result. */
  static open(request: ObserveScope): Observation {
    if ('all' in request) return new Observation(request, []);
    return new Observation(request, request.pids.map(checkTarget));
  }

  /**
   * The scope to sample now: the named processes still alive with their
   * start time, with descendants when `tree`. A PID whose start time changed
   * is another process: gone, like one that exited (not an error).
   */
  scope(): Scope {
    if ('all' in this.request) return { all: true };
    const alive: number[] = [];
    for (const target of this.targets) {
      if (this.goneSet.has(target.pid)) continue;
      if (startTimeOf(target.pid) === target.startTime) alive.push(target.pid);
      else this.goneSet.add(target.pid);
    }
    return { pids: alive, tree: this.request.tree };
  }

  /** The PIDs found gone, in the order they were named. */
  get gone(): number[] {
    return this.targets.filter((target) => this.goneSet.has(target.pid)).map((target) => target.pid);
  }

  /** A snapshot of the scope now; once the command of `ipcscope run` ended, the last one taken while it ran. */
  sample(): Snapshot {
    if (this.frozen) {
      this.moved = [];
      return this.frozen;
    }
    const previous = this.latest;
    this.latest = this.sampler.sample(this.scope());
    this.moved = previous ? trafficBetween(previous, this.latest, !('all' in this.request)) : [];
    if (this.latest.processes.some((p) => p.state !== 'Z')) this.lastAlive = this.latest;
    return this.latest;
  }

  /** The latest whole-machine snapshot, when this observes the machine (the process picker lists from it). */
  get machine(): Snapshot | null {
    return 'all' in this.request ? this.latest : null;
  }

  /** Traffic since the sample before the latest one (see observe-traffic.ts). */
  get traffic(): TrafficEntry[] {
    return this.moved;
  }

  /** `ipcscope run`: its command ended with `status`; the last snapshot in which it (or a descendant) was alive stays. */
  ended(status: ExitStatus): void {
    this.exit = status;
    this.frozen = this.lastAlive ?? this.latest;
  }

  close(): void {
    this.sampler.close();
  }

  view(): ObservingView {
    if ('all' in this.request) return { all: true };
    const view: ObservingView = { pids: [...this.request.pids], tree: this.request.tree, gone: this.gone };
    if (this.exit !== null) view.exit = this.exit;
    return view;
  }
}

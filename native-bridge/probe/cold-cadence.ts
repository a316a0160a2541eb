/**
 * How often a whole-machine Sampler asks the kernel about a process that has
 * not run for a while ("cold"). Reading one process's CPU clock is one
 * syscall, ~2-3 us on the VM this was measured on: with a thousand idle
 * processes that alone is ~3% of a core at 10 Hz. So only in whole-machine
 * mode (`{all: true}`): a process whose clock moved within `coldAfterMs` is
 * checked at every sample, as in every other scope; a cold one is checked
 * once every `recheckMs`, each at a phase of its own (a tenth of them per
 * tick at 10 Hz), and between checks its last reading is shown with the time
 * the kernel last confirmed it (ProcessInfo.checkedAt, on every cold process:
 * the frame's own takenAt when it was checked for this frame).
 *
 * A cold process is checked at once, whatever its phase, when:
 * - its PID may have been handed out since the last sample (AllPids.mayBeNew):
 *   a PID is reused only through a new allocation, so a reused PID is never
 *   shown as the process that had it. (One exception: the cursor rewound by
 *   writing /proc/sys/kernel/ns_last_pid, as checkpoint/restore tools do, to
 *   exactly the value the last sample saw. The new process is then found at
 *   the old one's next check, within `recheckMs`: its clock differs.);
 * - it forked (a new process names it as parent): it ran;
 * - something it holds changed in this sample's per-tick reads (a pipe's fill,
 *   read whenever a holder ran): the process on the other end ran, and it may
 *   have been woken (Sampler.suspectHolders).
 * A cold process whose parent exits is read again as soon as the exit is
 * seen (Sampler.refreshOrphans). One that exits or wakes for any other reason
 * (a signal, a timer) is seen at its next check, within `recheckMs`.
 */
import type { IpcObject } from '../model/snapshot-types';
import type { AllPids } from './scope';
import { idleRefreshDue } from './sampler-options';

/** A process is cold once its CPU clock has not moved for this long (ms). */
export const COLD_AFTER_MS = 2000;
/** A cold process's clock is read once in this period (ms). */
export const COLD_RECHECK_MS = 1000;

/** When the kernel last confirmed a process's state (its clock read unmoved, or a full read), and when its clock last moved (ms). */
export interface CadenceMarks {
  checkedAt: number;
  movedAt: number;
}

export class ColdCadence {
  /** Processes to check at the current sample whatever their phase. */
  private suspects = new Set<number>();
  /** Raised during the current sample, for the next one. */
  private raised = new Set<number>();

  constructor(
    readonly coldAfterMs = COLD_AFTER_MS,
    readonly recheckMs = COLD_RECHECK_MS,
  ) {}

  /** Starts a sample: what the previous one raised applies now. */
  begin(): void {
    const used = this.suspects;
    used.clear();
    this.suspects = this.raised;
    this.raised = used;
  }

  /** Whether a process with these marks is cold at `now`: its clock has not moved for `coldAfterMs`. */
  isCold(marks: CadenceMarks, now: number): boolean {
    return now - marks.movedAt >= this.coldAfterMs;
  }

  /** Whether a process with these marks may be shown as last confirmed, without a look at its clock, at `now`. */
  mayWait(pid: number, marks: CadenceMarks, now: number, allPids: AllPids): boolean {
    if (!this.isCold(marks, now)) return false;
    if (idleRefreshDue(pid, marks.checkedAt, now, this.recheckMs)) return false;
    if (this.suspects.has(pid)) return false;
    return !allPids.mayBeNew(pid);
  }

  /** Each pipe's fill at the previous sample: a change means a holder ran, and may have woken the others. */
  private fills = new Map<string, number | null>();

  /**
   * Pipes whose fill changed since the previous sample: their holders are
   * checked at the next one. A pipe is read again only when one of its
   * holders ran (PipeProbe): a pipe object handed out again is unchanged.
   */
  watchPipes(objects: readonly IpcObject[]): void {
    const fills = new Map<string, number | null>();
    for (const object of objects) {
      if (object.kind !== 'pipe' && object.kind !== 'fifo') continue;
      fills.set(object.id, object.queued);
      const before = this.fills.get(object.id);
      if (before !== undefined && before !== object.queued) for (const holder of object.holders) this.suspect(holder.pid);
    }
    this.fills = fills;
  }

  /** Checks `pid` at the next sample, whatever its phase. */
  suspect(pid: number): void {
    if (pid > 0) this.raised.add(pid);
  }
}

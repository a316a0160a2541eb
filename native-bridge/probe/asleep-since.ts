/**
 * Since when the kernel shows a process's main thread asleep in one wait,
 * measured by its counters rather than by how many samples saw it: a thread
 * can leave a sleep only by running, and every run moves two counters.
 *
 * - The process's CPU clock (clock_getcpuclockid(3), all threads), which a
 *   Sampler reads while it scans the process (before its stat, wchan and
 *   syscall): a run that ends adds its time at dequeue, so a clock read
 *   again later, with the thread found asleep just before (a run still going
 *   on is counted only up to the last tick), proves no thread ran in
 *   between. One read at the scan and one at the diagnose pass: a slow sample
 *   (11.7 s on a loaded machine) is itself the span, not a reason to wait for
 *   the next one.
 * - The main thread's run count, the third field of /proc/PID/schedstat (the
 *   times the kernel put it on a CPU): unlike the clock it ignores the other
 *   threads, so a process whose helper threads run (a Node process's) is
 *   still measured, from the first diagnose pass that read it.
 *
 * (wchan, /proc/PID/syscall and schedstat describe the main thread:
 * KERNEL-FACTS.md.)
 */
import { processCpuNs } from '../libc/cpu-clock';
import { readSmallFile } from './process/fast-fs';
import { parseStat } from './process/proc-stat';

/** A counter's value and when (ms since the epoch) it was read, taken just after the read. */
export interface CounterReading {
  value: number;
  at: number;
}

/** The readings a process's sleep is measured from (null: none valid). */
export interface SleepBases {
  clock: CounterReading | null;
  runs: CounterReading | null;
}

/** A process as a diagnose pass reads it again: asleep (stat S or D, read first), then its clock, then its run count. */
export interface SleepCheck {
  asleep: boolean;
  clock: number | null;
  runs: number | null;
  /** When the reads ended (ms since the epoch). */
  at: number;
}

/** The third field of /proc/PID/schedstat: "run_ns wait_ns timeslices" of the main thread. */
export function timesRunOf(pid: number): number | null {
  const field = readSmallFile(`/proc/${pid}/schedstat`)?.trim().split(' ')[2];
  return field === undefined ? null : Number(field);
}

/** Reads `pid` again: its state before its clock, so an unchanged clock cannot hide a run still going on. */
export function checkSleep(pid: number): SleepCheck {
  const text = readSmallFile(`/proc/${pid}/stat`);
  const state = text === null ? undefined : parseStat(text)?.state;
  const asleep = state === 'S' || state === 'D';
  const clock = processCpuNs(pid);
  const runs = timesRunOf(pid);
  return { asleep, clock, runs, at: Date.now() };
}

/**
 * The bases still valid after `check`, and the earliest time they prove the
 * main thread asleep from (null: it is not asleep now, or nothing can tell).
 * `previous`: the bases of an earlier pass; `scanned`: the clock the sample
 * being diagnosed read while scanning the process.
 */
export function sleepBases(previous: SleepBases | undefined, scanned: CounterReading | undefined, check: SleepCheck): { bases: SleepBases; from: number | null } {
  if (!check.asleep) return { bases: { clock: null, runs: null }, from: null };
  const unchanged = (reading: CounterReading | null | undefined, now: number | null): reading is CounterReading =>
    reading !== null && reading !== undefined && now !== null && reading.value === now;
  const clock = unchanged(previous?.clock, check.clock) ? previous.clock : unchanged(scanned, check.clock) ? scanned : null;
  const runs = unchanged(previous?.runs, check.runs) ? previous.runs : check.runs === null ? null : { value: check.runs, at: check.at };
  const from = Math.min(clock?.at ?? Infinity, runs?.at ?? Infinity);
  return { bases: { clock, runs }, from: Number.isFinite(from) ? from : null };
}

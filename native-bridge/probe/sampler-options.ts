/**
 * What a Sampler is asked to observe (its Scope) and how (SamplerOptions),
 * with the options the app and `ipcscope watch` tick with, when an idle process is due for its periodic read, and whether
 * shared memory exists for a full read to look for in maps.
 */
import type { ProbeOptions } from './probe-types';
import type { DiagnosisCadence } from './sampler-diagnoses';
import { listDirectory, readSmallFile } from './process/fast-fs';
import type { HeldSysvTables } from './kinds/sysv/sysvipc-table';
import type { TableBudgetMs } from './process/table-budget';

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
  /**
   * Whole-machine snapshots only: a process whose CPU clock has not moved for
   * this long (ms) is cold, checked once every `coldRecheckMs` instead of at
   * every sample (cold-cadence.ts). Defaults 2000 and 1000.
   */
  coldAfterMs?: number;
  coldRecheckMs?: number;
  /** Read signal masks in whole-machine snapshots too (off by default: one more file per process). */
  signalsEverywhere?: boolean;
  /**
   * Read /proc/PID/io (ProcessInfo.io) for each process read afresh; one
   * reused because it has not run keeps its counts (no CPU time, no calls).
   * Not read in whole-machine snapshots scanned across threads. Default false.
   */
  readIo?: boolean;
  /**
   * Diagnose the samples (Snapshot.diagnoses, diagnosesPending, diagnosedAt): only states that
   * persist are published, on a cadence (sampler-diagnoses.ts). Default false.
   */
  diagnose?: boolean | DiagnosisCadence;
  /**
   * PID scopes, with fdRefreshMs: per sample, how long (ms) reading descriptor
   * tables not read before may take (first scans of the scope's processes,
   * the holder search's reads of others), while PIDs are handed out fast
   * (`burst`) and otherwise; the rest is read by later samples and counted in
   * Snapshot.unreadTables (probe/process/table-budget.ts). Default: no limit.
   */
  tableBudget?: TableBudgetMs;
}

export const IDLE_REFRESH_MS = 1000;

/**
 * Whether an idle process read at `at` is due for its periodic read at `now`:
 * when a boundary of its own period has passed since. Each pid's boundaries
 * are shifted by a phase of its own, so a thousand processes read together
 * (a pool's workers) are refreshed a few at each tick rather than all in one
 * sample every `periodMs` (~300 ms at a time on a loaded machine: a frame
 * dropped in ten). No process goes longer than `periodMs` without one.
 */
export function idleRefreshDue(pid: number, at: number, now: number, periodMs: number): boolean {
  if (now - at >= periodMs) return true;
  if (periodMs <= 0) return true;
  // Knuth's multiplicative hash spreads consecutive pids over the period
  const phase = (Math.imul(pid, 2654435761) >>> 0) % periodMs;
  return Math.floor((now + phase) / periodMs) !== Math.floor((at + phase) / periodMs);
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

/**
 * The lesson's sampler (session.ts) adds this: tables not read before take
 * at most 4 ms a sample while PIDs are handed out fast, 200 ms while some are
 * left over from such a burst, and no limit otherwise. A pool's parent
 * starting a thousand workers keeps the CPU, and the frames keep coming,
 * saying how many tables are still to read (Snapshot.unreadTables).
 */
export const LESSON_TABLE_BUDGET: Readonly<TableBudgetMs> = { burst: 4, settled: 200 };

export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Maps are read only when some shared memory exists to be found in them (an
 * unreadable table counts as some). A Sampler's held table costs one pread.
 */
export function sharedMemoryExists(tables: HeldSysvTables | null): boolean {
  if ((listDirectory('/dev/shm') ?? []).length > 0) return true;
  if (tables) {
    const rows = tables.rowsNow('shm');
    return rows === null || rows.length > 0;
  }
  const table = readSmallFile('/proc/sysvipc/shm');
  return table === null || table.trim().includes('\n');
}

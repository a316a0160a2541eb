/**
 * What a Sampler is asked to observe (its Scope) and how (SamplerOptions),
 * with the options the app and `ipcscope watch` tick with, and whether
 * shared memory exists for a full read to look for in maps.
 */
import type { ProbeOptions } from './probe-types';
import type { DiagnosisCadence } from './sampler-diagnoses';
import { listDirectory, readSmallFile } from './process/fast-fs';
import type { HeldSysvTables } from './kinds/sysvipc-table';

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
}

export const IDLE_REFRESH_MS = 1000;

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

/**
 * What the calling thread and its scan workers share: the job message, the
 * result message, and the slots of the two shared Int32Arrays they
 * coordinate through without an event loop (Atomics).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ProbeOptions } from '../probe-types';
import type { EncodedScan } from './scan-codec';

/* A job's control array (SharedArrayBuffer, one per job). */
/** Index of the next chunk's first process: claimed with Atomics.add. */
export const NEXT_CHUNK = 0;
/** Workers inside the job; the caller waits (Atomics.wait) for it to reach 0. */
export const ACTIVE = 1;
/** Bumped at every process a worker scans: tells a slow worker from a dead one. */
export const PROGRESS = 2;
export const CONTROL_SLOTS = 3;

/* A worker's state array (SharedArrayBuffer, one per worker). */
/** Set to 1 once the worker listens for jobs. */
export const READY = 0;

/** A worker's thread name (its comm in /proc/PID/task/TID, at most 15 bytes): ps -L and top -H tell it from Node's own threads. */
export const SCAN_THREAD_NAME = 'ipcscope-scan';

export interface ScanWorkerData {
  port: MessagePort;
  state: Int32Array;
}

export interface ScanJob {
  id: number;
  control: SharedArrayBuffer;
  /** Int32Array of the pids, in the order of the snapshot. */
  pids: SharedArrayBuffer;
  chunkSize: number;
  options: ProbeOptions;
  /** The pool's HeldProcTable buffer, when it keeps /proc files open between snapshots. */
  table: SharedArrayBuffer | null;
}

export type ScanJobResult = { job: number; encoded: EncodedScan } | { job: number; error: string };

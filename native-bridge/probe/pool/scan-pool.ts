/**
 * Whole-machine snapshots scanned in parallel. A few persistent worker threads
 * (one per core besides the calling thread) start on the second whole-machine
 * snapshot of the process and stay, unref()ed, for the next ones. The sampler's API is
 * synchronous, so a scan posts the job, scans on the calling thread too
 * (both take chunks of processes from one shared counter, so neither waits
 * for the other's share), then blocks in Atomics.wait until every worker
 * that joined has queued its result, and takes the results with
 * receiveMessageOnPort: no event loop turn is needed.
 *
 * Everything degrades to scanning on the calling thread, with the same
 * result: no worker file (the desktop app's build), a worker not started yet or
 * dead, a worker that throws or stalls (its processes are scanned here).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { SCAN_WORKER_ENTRY } from '../../paths';
import { HeldProcTable } from '../process/held-proc-table';
import { IdleScans } from '../process/idle-scans';
import type { ProbeOptions } from '../probe-types';
import type { ScannedProcessWithExtras } from '../process/process-scan';
import { decodeScan } from './scan-codec';
import { ACTIVE, CONTROL_SLOTS, NEXT_CHUNK, PROGRESS, READY, type ScanJob, type ScanJobResult, type ScanWorkerData } from './scan-protocol';
import { ShareScanner, type Share } from './scan-share';

export type ScanResult = Map<number, ScannedProcessWithExtras | null>;

export interface ScanSplit {
  processes: number;
  /** Processes the workers scanned and delivered. */
  byWorkers: number;
  /** Processes scanned here after a worker failed to deliver them. */
  recovered: number;
  /** Processes that had not run since the previous scan: only their liveness and pipe fills were read. */
  reused: number;
}

/** Processes per claim: small enough that the threads finish within ~0.3 ms of each other. */
const CHUNK_SIZE = 8;
/**
 * Below this many processes the split does not pay. Back to back, the pool
 * wins from ~32 processes here (64: 2.1 ms alone, 1.6 pooled); but after an
 * idle gap, as between snapshots that are not ticks, waking the worker (and
 * its CPU) costs as much as it saves up to ~130 processes (100: 4.9 / 4.3,
 * 130: 6.6 / 7.1, 160: 8.8 / 7.5, 218: 15.1 / 8.6).
 */
export const MIN_POOLED_PROCESSES = 128;
const MAX_WORKERS = 7;
/**
 * A worker that finishes no process for this long is taken for dead and the
 * caller scans what it claimed. Workers report their errors, so this is for
 * a thread that vanished: no process takes seconds (100k descriptors ~0.5 s).
 */
const STALL_MS = 5000;
const WAIT_SLICE_MS = 50;

interface PoolWorker {
  worker: Worker;
  port: MessagePort | null;
  state: Int32Array;
  dead: boolean;
}

export class ScanPool {
  private readonly workers: PoolWorker[] = [];
  private readonly local = new ShareScanner();
  private jobs = 0;
  private closed = false;
  /** /proc files and pidfds kept open between scans (held-proc-table.ts), when asked for. */
  private table: HeldProcTable | null;
  /** Scans kept for processes that may not run before the next one (with the table only). */
  private idle: IdleScans | null;
  /** The pids of the last scan: what the table may hold. */
  private heldPids: number[] = [];
  /** The last job's control array: a worker still inside it may be reading held files. */
  private lastControl: Int32Array | null = null;
  lastSplit: ScanSplit | null = null;

  /**
   * Starts `size` workers from `entry`; none when the file is missing or a
   * worker cannot be created. `hold`: keep /proc files open between scans.
   */
  constructor(
    entry: URL,
    size: number,
    private readonly stallMs = STALL_MS,
    hold = false,
  ) {
    this.table = hold ? HeldProcTable.create() : null;
    this.idle = this.table ? new IdleScans(this.table) : null;
    if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return;
    for (let i = 0; i < size; i++) {
      try {
        this.workers.push(startWorker(entry));
      } catch {
        break;
      }
    }
  }

  /** Workers that take jobs now. */
  get readyWorkers(): number {
    return this.workers.filter(isReady).length;
  }

  /** Resolves once every live worker is ready (or after `timeoutMs`): for benchmarks and tests. */
  async whenReady(timeoutMs = 10_000): Promise<number> {
    const end = performance.now() + timeoutMs;
    while (this.workers.some((w) => !w.dead && !isReady(w)) && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.readyWorkers;
  }

  /**
   * Scans `pids` (whole-machine options) and returns each one's scan, null
   * for those that exited. With held files, a process that has not run since
   * the previous scan is not read again beyond its liveness and pipe fills
   * (idle-scans.ts).
   */
  scan(pids: number[], options: ProbeOptions): ScanResult {
    const results: Array<ScannedProcessWithExtras | null | undefined> = new Array(pids.length);
    const idle = this.idle && IdleScans.applies(options) ? this.idle : null;
    const restIndexes = idle ? idle.reuse(pids, options, (index, scanned) => (results[index] = scanned)) : null;
    const rest = restIndexes ? restIndexes.map((index) => pids[index]!) : pids;
    const split = this.scanAll(rest, options, (i, scan) => {
      const index = restIndexes ? restIndexes[i]! : i;
      results[index] = scan;
      idle?.remember(index, pids[index]!, scan, options);
    });
    this.lastSplit = { ...split, processes: pids.length, reused: pids.length - rest.length };
    this.releaseExited(pids);
    const byPid: ScanResult = new Map();
    pids.forEach((pid, index) => byPid.set(pid, results[index] ?? null));
    return byPid;
  }

  /** Reads each of `pids` in full, on the workers and this thread, and hands each to `deliver` (by index, null: exited). */
  private scanAll(pids: number[], options: ProbeOptions, deliver: (index: number, scanned: ScannedProcessWithExtras | null) => void): ScanSplit {
    const results: Array<ScannedProcessWithExtras | null | undefined> = new Array(pids.length);
    const take = (index: number, scanned: ScannedProcessWithExtras | null): void => {
      results[index] = scanned;
    };
    const helpers = this.closed ? [] : this.workers.filter(isReady);
    const split: ScanSplit = { processes: pids.length, byWorkers: 0, recovered: 0, reused: 0 };
    if (helpers.length === 0 || pids.length < MIN_POOLED_PROCESSES) {
      this.scanHere(pids, options, take);
    } else {
      try {
        split.byWorkers = this.scanTogether(helpers, pids, options, take);
      } catch {
        // the pool's own machinery failed (posting, decoding): stop using it, scan what is missing here
        this.close();
      }
      // whatever a worker claimed and did not deliver (it threw, stalled or died) is scanned here
      const missing: number[] = [];
      for (let index = 0; index < pids.length; index++) if (results[index] === undefined) missing.push(index);
      if (missing.length > 0) this.scanHere(missing.map((index) => pids[index]!), options, (i, scanned) => take(missing[i]!, scanned));
      split.recovered = missing.length;
    }
    for (let index = 0; index < pids.length; index++) deliver(index, results[index] ?? null);
    return split;
  }

  private scanHere(pids: number[], options: ProbeOptions, take: Share['take']): void {
    let next = 0;
    const claim = (): number => {
      const first = next;
      next += CHUNK_SIZE;
      return first < pids.length ? first : -1;
    };
    this.local.scanShare({ pids, chunkSize: CHUNK_SIZE, options, claim, take, table: this.table });
  }

  /** Closes what the table holds for processes that were in the last scan and are not in this one. */
  private releaseExited(pids: number[]): void {
    if (!this.table) return;
    const now = new Set(pids);
    for (const pid of this.heldPids) {
      if (now.has(pid)) continue;
      this.table.release(pid);
      this.idle?.forget(pid);
    }
    this.heldPids = pids;
  }

  /** Returns how many processes the workers delivered. */
  private scanTogether(helpers: PoolWorker[], pids: number[], options: ProbeOptions, take: Share['take']): number {
    const id = ++this.jobs;
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    const shared = new Int32Array(new SharedArrayBuffer(pids.length * 4));
    shared.set(pids);
    const job: ScanJob = {
      id,
      control: control.buffer as SharedArrayBuffer,
      pids: shared.buffer as SharedArrayBuffer,
      chunkSize: CHUNK_SIZE,
      options,
      table: this.table?.buffer ?? null,
    };
    this.lastControl = control;
    for (const helper of helpers) helper.port?.postMessage(job);
    const claim = (): number => {
      const first = Atomics.add(control, NEXT_CHUNK, CHUNK_SIZE);
      return first < pids.length ? first : -1;
    };
    this.local.scanShare({ pids, chunkSize: CHUNK_SIZE, options, claim, take, table: this.table });
    const finished = waitForWorkers(control, this.stallMs);
    let delivered = 0;
    for (const { port } of helpers) {
      for (let message = port && receiveMessageOnPort(port); message; message = receiveMessageOnPort(port!)) {
        const result = message.message as ScanJobResult;
        if (result.job !== id) continue; // a late answer to an earlier job that it joined after the end
        if ('encoded' in result) {
          decodeScan(result.encoded, (index, scanned) => {
            delivered++;
            take(index, scanned);
          });
        }
      }
    }
    // a worker stopped mid-share: stop using the pool (the caller scans what that worker claimed)
    if (!finished) this.abandon();
    return delivered;
  }

  /**
   * Stops sending jobs without terminating anything: a worker slow or stuck
   * in a share may hold a borrowed descriptor, which only its own finally
   * blocks close (termination skips them). Unref()ed, it holds nothing open.
   */
  private abandon(): void {
    this.closed = true;
    for (const w of this.workers) w.dead = true;
    this.releaseHeld();
  }

  /**
   * Closes every held file, unless a worker may still be inside a job and
   * reading them: then they stay open (they are /proc files and pidfds,
   * which hold no process or IPC object) until the process exits, and the
   * table is no longer used.
   */
  private releaseHeld(): void {
    const table = this.table;
    this.table = null;
    this.idle = null;
    this.closeHeld(table);
  }

  /** Closes every held file now, the table kept for the next scans; false when a worker may be reading them. */
  closeHeld(table = this.table): boolean {
    if (!table || (this.lastControl && Atomics.load(this.lastControl, ACTIVE) !== 0)) return false;
    for (const pid of this.heldPids) table.release(pid);
    this.heldPids = [];
    this.idle?.clear();
    return true;
  }

  /** Ends the workers; between scans they hold nothing borrowed. */
  close(): void {
    this.abandon();
    for (const w of this.workers.splice(0)) {
      w.port?.close();
      w.port = null;
      void w.worker.terminate().catch(() => undefined);
    }
  }
}

function isReady(w: PoolWorker): boolean {
  return !w.dead && Atomics.load(w.state, READY) === 1;
}

function startWorker(entry: URL): PoolWorker {
  const { port1, port2 } = new MessageChannel();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const data: ScanWorkerData = { port: port2, state };
  // execArgv []: the entry registers tsx itself; inherited loader flags would load it twice
  const worker = new Worker(entry, { workerData: data, transferList: [port2], execArgv: [], stdout: true, stderr: true });
  const pooled: PoolWorker = { worker, port: port1, state, dead: false };
  // a worker that fails to load or dies is simply not used again: the caller scans its share
  worker.on('error', () => {
    pooled.dead = true;
  });
  worker.on('exit', () => {
    pooled.dead = true;
  });
  worker.unref();
  port1.unref();
  return pooled;
}

/** Waits until no worker is inside the job; false when none made progress for `stallMs`. */
function waitForWorkers(control: Int32Array, stallMs: number): boolean {
  let progress = Atomics.load(control, PROGRESS);
  let since = performance.now();
  for (;;) {
    const active = Atomics.load(control, ACTIVE);
    if (active === 0) return true;
    Atomics.wait(control, ACTIVE, active, WAIT_SLICE_MS);
    const now = Atomics.load(control, PROGRESS);
    if (now !== progress) {
      progress = now;
      since = performance.now();
    } else if (performance.now() - since > stallMs) {
      return false;
    }
  }
}

let shared: ScanPool | null = null;
let wholeMachineScans = 0;
let exitHooked = false;

function startSharedPool(size = Math.min(MAX_WORKERS, Math.max(0, availableParallelism() - 1))): ScanPool {
  if (!shared) {
    // a process that takes whole-machine snapshot after snapshot keeps its /proc files open between them
    shared = new ScanPool(SCAN_WORKER_ENTRY, size, STALL_MS, true);
    if (!exitHooked) {
      exitHooked = true;
      // unref()ed workers never hold the process open; this ends them before exit handlers of others run long
      process.once('exit', () => shared?.close());
    }
  }
  return shared;
}

/**
 * The processes of a whole-machine snapshot, scanned across the pool (or on
 * this thread when that is all there is): pid -> scan, null when it exited.
 * The pool starts on the second such scan: a worker needs ~185 ms to load,
 * so it could not help the first one, and starting it costs a one-shot
 * `ipcscope snapshot --all` ~75 ms at +1000 processes (both cores busy).
 */
export function scanWholeMachine(pids: number[], options: ProbeOptions): ScanResult {
  wholeMachineScans++;
  const pool = shared ?? (wholeMachineScans >= 2 ? startSharedPool() : null);
  const result = (pool ?? callingThreadOnly()).scan(pids, options);
  if (pool) closeHeldWhenIdle();
  return result;
}

/**
 * Held files serve snapshot after snapshot; once none has come for this
 * long they are closed (a process that stopped taking whole-machine
 * snapshots keeps nothing open for processes that may be long gone).
 */
export const HELD_IDLE_MS = 2000;
let idleTimer: NodeJS.Timeout | null = null;

function closeHeldWhenIdle(): void {
  if (idleTimer) idleTimer.refresh();
  else {
    idleTimer = setTimeout(() => {
      idleTimer = null;
      shared?.closeHeld();
    }, HELD_IDLE_MS);
    idleTimer.unref();
  }
}

let lonePool: ScanPool | null = null;
function callingThreadOnly(): ScanPool {
  lonePool ??= new ScanPool(SCAN_WORKER_ENTRY, 0);
  return lonePool;
}

/**
 * Starts the pool now (`workers`: how many, default one per core besides this
 * thread) and resolves with the number ready: for benchmarks and tests.
 */
export function warmScanPool(workers?: number): Promise<number> {
  return startSharedPool(workers).whenReady();
}

/** Ends the pool's workers; whole-machine scans run on the calling thread until it is started again. */
export function stopScanPool(): void {
  shared?.close();
  shared = null;
  wholeMachineScans = 0;
}

/**
 * Closes the /proc files and pidfds the pool keeps between snapshots (the
 * next snapshot opens them again): for a benchmark that times other tools,
 * which would otherwise read thousands of this process's descriptors.
 */
export function closeHeldFiles(): void {
  shared?.closeHeld();
}

/** How the last whole-machine scan was shared out (tests check the pool really took part). */
export function lastScanSplit(): ScanSplit | null {
  return (shared ?? lonePool)?.lastSplit ?? null;
}

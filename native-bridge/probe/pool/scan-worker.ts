/**
 * A scan worker's thread (loaded by scan-worker-entry.mjs): takes chunks of a
 * whole-machine snapshot's processes from the job's shared counter, scans
 * them with the calling thread's own code (scan-share.ts) and sends them back
 * in compact form before saying it is done.
 */
import { workerData } from 'node:worker_threads';
import { libc } from '../../libc/libc';
import { trustShortFdListings } from '../process/fd-table';
import { HeldProcTable } from '../process/held-proc-table';
import { ScanEncoder } from './scan-codec';
import { ShareScanner } from './scan-share';
import { signalName } from '../process/signals';
import { ACTIVE, NEXT_CHUNK, PROGRESS, READY, SCAN_THREAD_NAME, type ScanJob, type ScanJobResult, type ScanWorkerData } from './scan-protocol';

/* Synchronous fault signals stay deliverable (blocked, the kernel would kill the process instead). */
const FAULT_SIGNALS = new Set(['SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGSYS']);
const SIG_BLOCK = 0;

/**
 * Blocks every asynchronous signal on this thread: process-wide signals go to
 * the main thread, which handles them anyway, and a getdents64 here can then
 * only stop early when the listing is complete (fd-table.ts). glibc leaves its
 * own two signals (SIGCANCEL, SIGSETXID) unblocked whatever the set says.
 */
function blockAsyncSignals(): boolean {
  const sigmask = libc().func('int pthread_sigmask(int how, const uint8_t *set, _Out_ uint8_t *old)') as (
    how: number,
    set: Uint8Array,
    old: Uint8Array | null,
  ) => number;
  const set = new Uint8Array(128); /* sigset_t: 1024 bits, bit n-1 = signal n */
  for (let signal = 1; signal <= 64; signal++) {
    if (!FAULT_SIGNALS.has(signalName(signal))) set[(signal - 1) >> 3]! |= 1 << ((signal - 1) & 7);
  }
  return sigmask(SIG_BLOCK, set, null) === 0;
}

/* every Node thread is "node" otherwise: this says which threads of the engine scan /proc */
function nameThread(): void {
  const self = libc().func('unsigned long pthread_self()') as () => bigint | number;
  const setName = libc().func('int pthread_setname_np(unsigned long thread, const char *name)') as (thread: bigint | number, name: string) => number;
  setName(self(), SCAN_THREAD_NAME);
}

function run({ port, state }: ScanWorkerData): void {
  if (blockAsyncSignals()) trustShortFdListings();
  nameThread();
  const scanner = new ShareScanner();
  let table: HeldProcTable | null = null;
  port.on('message', (job: ScanJob) => {
    const control = new Int32Array(job.control);
    const pids = new Int32Array(job.pids);
    Atomics.add(control, ACTIVE, 1);
    let result: ScanJobResult;
    try {
      const encoder = new ScanEncoder();
      scanner.scanShare({
        pids,
        chunkSize: job.chunkSize,
        options: job.options,
        table: job.table ? (table = table?.buffer === job.table ? table : new HeldProcTable(job.table)) : null,
        claim: () => {
          const first = Atomics.add(control, NEXT_CHUNK, job.chunkSize);
          return first < pids.length ? first : -1;
        },
        take: (index, scanned) => {
          Atomics.add(control, PROGRESS, 1);
          encoder.add(index, scanned);
        },
      });
      const encoded = encoder.finish();
      result = { job: job.id, encoded };
      port.postMessage(result, [encoded.numbers.buffer, encoded.args.buffer]);
    } catch (error) {
      result = { job: job.id, error: error instanceof Error ? error.message : String(error) };
      port.postMessage(result);
    } finally {
      // the result is queued before the count drops: the caller reads it right after
      Atomics.sub(control, ACTIVE, 1);
      Atomics.notify(control, ACTIVE);
    }
  });
  Atomics.store(state, READY, 1);
}

run(workerData as ScanWorkerData);

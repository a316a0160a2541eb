/**
 * Making a signal blocked in EVERY thread of an actor, so that a signal the
 * lesson's (single-threaded) C program blocks with sigprocmask stays pending
 * on the process (ShdPnd) instead of going to a helper thread.
 *
 * Measured (Node 20, Linux 6.18): Node sets the main thread's mask to
 * {SIGUSR1} at start-up, whatever mask exec passed on, starts its V8 worker
 * threads (they keep {SIGUSR1} blocked) and its inspector thread (everything
 * blocked), then unblocks SIGUSR1 in the main thread. The libuv thread pool
 * (4 threads, started by the ES module loader before any actor code runs)
 * blocks nothing. kill() picks any thread that does not block the signal, so
 * blocking it in the main thread alone left it delivered at once, to a pool
 * thread.
 *
 * A thread's mask can only be changed by that thread. The pool threads run
 * koffi's async calls, so each is made to call pthread_sigmask itself:
 * every pool thread is first parked in read() on pipe A; one byte on A frees
 * exactly one, which takes the next two queued jobs (jobs are taken in order):
 * pthread_sigmask(SIG_BLOCK), then read() on pipe B, where it parks again.
 * Repeated once per pool thread, then B releases them all. Only SIGUSR1 can
 * be made process-wide like this: the V8 workers block nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { libc, native, O_CLOEXEC } from '../../libc/libc';

const lib = libc();
const SIG_BLOCK = 0;
/* async calls run on the libuv pool; their completion callbacks are not needed */
const readJob = lib.func('long read(int fd, _Out_ uint8_t *buf, size_t count)');
const sigmaskJob = lib.func('int pthread_sigmask(int how, const uint8_t *set, uint8_t *oldset)');
const ignore = (): void => undefined;
const PARK_DEADLINE_MS = 3000;

interface ThreadMasks {
  tid: number;
  blocked: bigint;
  /** /proc/self/task/TID/syscall: number and first argument, e.g. [0, 21] for read(21, ...) */
  syscall: [number, number] | null;
}

function threads(): ThreadMasks[] {
  const found: ThreadMasks[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'latin1');
      const blocked = BigInt(`0x${/SigBlk:\s+([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
      const fields = readFileSync(`/proc/self/task/${tid}/syscall`, 'latin1').trim().split(' ');
      const syscall: [number, number] | null = fields.length > 1 ? [Number(fields[0]), Number(fields[1])] : null;
      found.push({ tid: Number(tid), blocked, syscall });
    } catch {
      /* a thread that ended meanwhile */
    }
  }
  return found;
}

/** Threads (other than the caller) whose mask lets `signal` through. */
export function threadsLetting(signal: number): number[] {
  const bit = 1n << BigInt(signal - 1);
  return threads()
    .filter((t) => t.tid !== process.pid && (t.blocked & bit) === 0n)
    .map((t) => t.tid);
}

function parkedOn(fd: number): number {
  return threads().filter((t) => t.syscall !== null && t.syscall[0] === 0 && t.syscall[1] === fd).length;
}

function waitParked(fd: number, count: number): boolean {
  const deadline = Date.now() + PARK_DEADLINE_MS;
  while (parkedOn(fd) < count) {
    if (Date.now() > deadline) return false;
    /* the main thread must not return to the event loop here: a short sleep in the kernel */
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
  return true;
}

/**
 * Blocks `signal` in every libuv pool thread. Returns the threads that still
 * let it through (empty on success), so the caller can name them.
 */
export function blockInPoolThreads(signal: number, set: Uint8Array): number[] {
  const pool = threadsLetting(signal).length;
  if (pool === 0) return [];
  const a = new Int32Array(2);
  const b = new Int32Array(2);
  if (native.pipe2(a, O_CLOEXEC) !== 0) return threadsLetting(signal);
  if (native.pipe2(b, O_CLOEXEC) !== 0) {
    native.close(a[0]!);
    native.close(a[1]!);
    return threadsLetting(signal);
  }
  /* the buffers must outlive the jobs: kept here until every job has returned */
  const buffers: Uint8Array[] = [];
  const one = new Uint8Array([1]);
  try {
    for (let i = 0; i < pool; i++) {
      const buf = new Uint8Array(1);
      buffers.push(buf);
      readJob.async(a[0]!, buf, 1, ignore);
    }
    if (!waitParked(a[0]!, pool)) return threadsLetting(signal);
    for (let i = 0; i < pool; i++) {
      const buf = new Uint8Array(1);
      buffers.push(buf);
      sigmaskJob.async(SIG_BLOCK, set, null, ignore);
      readJob.async(b[0]!, buf, 1, ignore);
      native.write(a[1]!, one, 1);
      if (!waitParked(b[0]!, i + 1)) break;
    }
    return threadsLetting(signal);
  } finally {
    /* free every parked thread (one byte each), then close once none reads any more */
    const parked = parkedOn(a[0]!) + parkedOn(b[0]!);
    for (let i = 0; i < pool; i++) native.write(b[1]!, one, 1);
    for (let i = 0; i < parked; i++) native.write(a[1]!, one, 1);
    const deadline = Date.now() + PARK_DEADLINE_MS;
    while ((parkedOn(a[0]!) > 0 || parkedOn(b[0]!) > 0) && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
    for (const fd of [a[0]!, a[1]!, b[0]!, b[1]!]) native.close(fd);
    buffers.length = 0;
  }
}

/**
 * Signal ops: sigaction (catch a signal with a handler), sigprocmask (block
 * or unblock signals in the calling thread), getppid. kill is in
 * process-ops.ts.
 *
 * The handler is libuv's (process.on(name)): a real sigaction handler, so
 * /proc/PID/status SigCgt gains the signal's bit. It only notes the signal in
 * a pipe and the JavaScript listener runs from the event loop: the listener
 * writes one byte per signal into the lesson's pipe (the "self-pipe trick",
 * which is what libuv itself does), so the kernel shows each delivery as a
 * byte queued in that pipe (FIONREAD), evidence the process really produced.
 *
 * Threads (measured, Node 20, Linux 6.18): Node sets its main thread's mask
 * to {SIGUSR1} at start-up whatever the mask inherited through exec, creates
 * its V8 worker threads (which keep {SIGUSR1} blocked) and its inspector
 * thread (everything blocked), then unblocks SIGUSR1 in the main thread. A
 * process-directed signal goes to any thread that does not block it, so a
 * signal blocked only in the main thread stays pending (ShdPnd) only when
 * every other thread blocks it too: true of SIGUSR1, as long as no libuv
 * thread-pool thread (mask inherited from the main thread at its creation)
 * was started with SIGUSR1 unblocked. The actor never uses the thread pool.
 */
import { errnoName } from '../../libc/errno';
import { signalName } from '../../probe/process/signals';
import { blockInPoolThreads } from './signal-ops-threads';
import { libc, native } from '../../libc/libc';
import { type OpTable, OpArgError, intArg, intListArg, stringArg, syscallOutcome } from './op-types';

const lib = libc();
/* glibc sigset_t is 1024 bits; the kernel reads the first 64 */
const SIGSET_BYTES = 128;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
/* pthread_sigmask: the calling thread only, which is what sigprocmask means in a threaded process */
const pthreadSigmask = lib.func('int pthread_sigmask(int how, const uint8_t *set, _Out_ uint8_t *oldset)') as (
  how: number,
  set: Uint8Array,
  oldset: Uint8Array | null,
) => number;
const getppid = lib.func('int getppid()') as () => number;

/* signals a lesson may catch or block: not SIGKILL/SIGSTOP (impossible), not 32/33 (glibc's own) */
const CATCHABLE = new Set([1, 2, 3, 10, 12, 14, 15, 17, 18, 28]);

/** One byte per caught signal, written by the listener: '1' SIGUSR1, '2' SIGUSR2, 'C' SIGCHLD, else '*'. */
export const SIGNAL_MARKS: Readonly<Record<number, string>> = { 10: '1', 12: '2', 17: 'C' };

function signalArg(args: Record<string, unknown>, name = 'signal'): number {
  const signal = intArg(args, name);
  if (!CATCHABLE.has(signal)) throw new OpArgError(`${name} must be one of ${[...CATCHABLE].join(', ')} (got ${signal})`);
  return signal;
}

function sigset(signals: number[]): Uint8Array {
  const set = new Uint8Array(SIGSET_BYTES);
  for (const signal of signals) set[(signal - 1) >> 3]! |= 1 << ((signal - 1) & 7);
  return set;
}

/** Names a signal the way process.on wants it ("SIGUSR1"). */
function nodeSignal(signal: number): NodeJS.Signals {
  return signalName(signal) as NodeJS.Signals;
}

export const signalOps: OpTable = {
  sigaction: {
    sleepsIn: [],
    run(args) {
      const signal = signalArg(args);
      const handler = stringArg(args, 'handler', 'catch');
      if (handler !== 'catch') throw new OpArgError('handler must be "catch"');
      const notifyFd = intArg(args, 'notifyFd');
      if (notifyFd < 0) throw new OpArgError('notifyFd must be a descriptor');
      const mark = new TextEncoder().encode(SIGNAL_MARKS[signal] ?? '*');
      const name = nodeSignal(signal);
      process.removeAllListeners(name);
      /* libuv installs its sigaction handler on the first listener (SigCgt gains the bit) */
      process.on(name, () => {
        native.write(notifyFd, mark, 1);
      });
      return { result: 0, errno: null };
    },
  },
  sigprocmask: {
    sleepsIn: [],
    run(args) {
      const how = stringArg(args, 'how');
      if (how !== 'block' && how !== 'unblock') throw new OpArgError('how must be "block" or "unblock"');
      const signals = intListArg(args, 'signals') ?? [];
      if (signals.length === 0) throw new OpArgError('signals must name at least one signal');
      for (const signal of signals) signalArg({ signal });
      /* pthread_sigmask returns the error number itself */
      const set = sigset(signals);
      const rc = pthreadSigmask(how === 'block' ? SIG_BLOCK : SIG_UNBLOCK, set, null);
      if (rc !== 0) return { result: -1, errno: errnoName(rc) };
      if (how === 'unblock') return { result: 0, errno: null };
      /* the C program has one thread: its mask is the process's; make the actor's pool threads agree */
      const letting = new Set<number>();
      for (const signal of signals) for (const tid of blockInPoolThreads(signal, sigset([signal]))) letting.add(tid);
      /* threads (TIDs) that still let one of them through: empty when the whole process blocks them */
      return { result: 0, errno: null, data: { threadsLetting: [...letting] } };
    },
  },
  getppid: {
    sleepsIn: [],
    run() {
      return syscallOutcome(getppid());
    },
  },
};

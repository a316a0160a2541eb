/**
 * Signal masks from /proc/PID/status (SigPnd, ShdPnd, SigBlk, SigIgn, SigCgt),
 * hex, bit n-1 = signal n (KERNEL-FACTS "POSIX IPC and signals").
 * These are the main thread's masks; other threads: /proc/PID/task/TID/status.
 */
import { readFileSync } from 'node:fs';
import type { SignalSet } from '../../model/snapshot-types';
import { parseStatus, type StatusFields } from './proc-stat';

/* x86_64 numbering, signal(7) */
const CLASSIC: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

/* glibc reserves 32 and 33 for itself; its SIGRTMIN is 34 */
const SIGRTMIN = 34;

export function signalName(n: number): string {
  if (n >= 1 && n < CLASSIC.length) return CLASSIC[n]!;
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (n > SIGRTMIN && n <= 64) return `SIGRTMIN+${n - SIGRTMIN}`;
  return `SIG${n}`;
}

/** "0000000000000200" -> ["SIGUSR1"]: bit n-1 set means signal n. */
export function decodeSignalMask(hex: string): string[] {
  let mask = BigInt(`0x${hex.trim() || '0'}`);
  const names: string[] = [];
  for (let n = 1; mask !== 0n; n++, mask >>= 1n) {
    if (mask & 1n) names.push(signalName(n));
  }
  return names;
}

/** The five masks of a parsed /proc/PID/status, as signal names. */
export function decodeStatusSignals(status: StatusFields): SignalSet {
  return {
    pending: decodeSignalMask(status.sigPnd),
    sharedPending: decodeSignalMask(status.shdPnd),
    blocked: decodeSignalMask(status.sigBlk),
    ignored: decodeSignalMask(status.sigIgn),
    caught: decodeSignalMask(status.sigCgt),
  };
}

/** True when two signal sets name the same signals in every mask (null only equals null). */
export function sameSignalSets(a: SignalSet | null, b: SignalSet | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    sameNames(a.pending, b.pending) &&
    sameNames(a.sharedPending, b.sharedPending) &&
    sameNames(a.blocked, b.blocked) &&
    sameNames(a.ignored, b.ignored) &&
    sameNames(a.caught, b.caught)
  );
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Signal sets of a process; null when it is gone or unreadable. */
export function readSignals(pid: number): SignalSet | null {
  try {
    return decodeStatusSignals(parseStatus(readFileSync(`/proc/${pid}/status`, 'latin1')));
  } catch {
    return null;
  }
}

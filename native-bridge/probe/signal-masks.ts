/**
 * Turns the signal masks of /proc/PID/status into names. Bit n-1 of each hex
 * mask stands for signal n (x86_64 numbering; 34..64 are the real-time range).
 */
import type { SignalSet } from '../model/snapshot-types';
import type { StatusFields } from './proc-stat';

const NAMES = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];
const SIGRTMIN = 34;
const SIGRTMAX = 64;

export function signalName(signal: number): string {
  if (signal > 0 && signal < NAMES.length) return NAMES[signal]!;
  if (signal === SIGRTMIN) return 'SIGRTMIN';
  if (signal === SIGRTMAX) return 'SIGRTMAX';
  if (signal > SIGRTMIN && signal < SIGRTMAX) return `SIGRTMIN+${signal - SIGRTMIN}`;
  return `SIG${signal}`;
}

/** "0000000000004a02" -> ["SIGINT", "SIGUSR1", ...] */
export function decodeSignalMask(hex: string): string[] {
  let mask: bigint;
  try {
    mask = BigInt(`0x${hex.trim() || '0'}`);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (let signal = 1; mask !== 0n && signal <= SIGRTMAX; signal++, mask >>= 1n) {
    if (mask & 1n) names.push(signalName(signal));
  }
  return names;
}

export function decodeStatusSignals(status: StatusFields): SignalSet {
  return {
    pending: decodeSignalMask(status.sigPnd),
    sharedPending: decodeSignalMask(status.shdPnd),
    blocked: decodeSignalMask(status.sigBlk),
    ignored: decodeSignalMask(status.sigIgn),
    caught: decodeSignalMask(status.sigCgt),
  };
}

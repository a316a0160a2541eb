/**
 * Parsers for the small per-process /proc files the probe reads on every tick:
 * stat, wchan, syscall, status. Kept free of I/O so they are cheap to test.
 */
import type { ProcessState } from '../../model/snapshot-types';
import type { ProcFileReader } from './proc-files';

export interface StatFields {
  comm: string;
  state: ProcessState;
  ppid: number;
}

const STATES = new Set(['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I', 'P', 'W', 'K']);

/**
 * /proc/PID/stat: "pid (comm) S ppid ...". comm may hold spaces and ")", so
 * split at the LAST ")". Read with charCodeAt rather than slices: a watch tick
 * parses this for every process that ran, 60 times a second.
 */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // the state is one letter between two spaces
  const letter = text.charAt(close + 2);
  const state = (text.charCodeAt(close + 3) === SPACE && STATES.has(letter) ? letter : '?') as ProcessState;
  return { comm: text.slice(open + 1, close), state, ppid: leadingDecimal(text, close + 4) };
}

const SPACE = 32;

/** The decimal number starting at `from` (0 when there is none), without slicing the text. */
function leadingDecimal(text: string, from: number): number {
  let value = 0;
  for (let i = from; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

export interface SyscallFields {
  /** -1 when the task is not in a syscall ("running", or "-1 ..."). */
  nr: number;
  args: bigint[];
}

/**
 * A syscall argument that is a C int (a descriptor, a System V id, AT_FDCWD):
 * /proc/PID/syscall prints the whole 64-bit register.
 */
export function intArg(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/**
 * /proc/PID/syscall: "0 0x3 0x7ffd... 0x40 ..." (number, six arguments, then
 * stack and instruction pointers) or "running" or "-1 sp pc". Walked with
 * indexOf rather than split: read at every tick for each sleeping process.
 */
export function parseSyscall(text: string): SyscallFields {
  // "running" and "-1 ..." do not start with a digit
  const code = text.charCodeAt(0) - 48;
  if (!(code >= 0 && code <= 9)) return { nr: -1, args: [] };
  const nr = leadingDecimal(text, 0);
  const args: bigint[] = [];
  let start = text.indexOf(' ') + 1;
  if (start === 0) return { nr, args };
  while (args.length < 6 && start < text.length) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    // the last word may carry the line's newline
    const stop = text.charCodeAt(end - 1) === 10 ? end - 1 : end;
    try {
      args.push(BigInt(text.slice(start, stop)));
    } catch {
      args.push(0n);
    }
    start = end + 1;
  }
  return { nr, args };
}

/** /proc/PID/wchan reads "0" when the task is running or when we may not see it. */
export function parseWchan(text: string): string {
  const trimmed = text.trim();
  return trimmed === '0' ? '' : trimmed;
}

/** Real uid (first number of the Uid: line) and the raw signal masks from /proc/PID/status. */
export interface StatusFields {
  uid: number | null;
  sigPnd: string;
  shdPnd: string;
  sigBlk: string;
  sigIgn: string;
  sigCgt: string;
}

export function parseStatus(text: string): StatusFields {
  const fields: StatusFields = { uid: null, sigPnd: '0', shdPnd: '0', sigBlk: '0', sigIgn: '0', sigCgt: '0' };
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'Uid':
        fields.uid = Number.parseInt(value, 10);
        break;
      case 'SigPnd':
        fields.sigPnd = value;
        break;
      case 'ShdPnd':
        fields.shdPnd = value;
        break;
      case 'SigBlk':
        fields.sigBlk = value;
        break;
      case 'SigIgn':
        fields.sigIgn = value;
        break;
      case 'SigCgt':
        fields.sigCgt = value;
        break;
    }
  }
  return fields;
}

/** Whether /proc/PID/stat shows the process off a CPU (any state but R); false when unreadable. */
export function offCpuNow(reader: ProcFileReader, pid: number): boolean {
  try {
    const state = parseStat(reader.read(pid, 'stat'))?.state;
    return state !== undefined && state !== 'R';
  } catch {
    return false;
  }
}

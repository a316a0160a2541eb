/**
 * Parsers for the small per-process /proc files the probe reads on every tick:
 * stat, wchan, syscall, status. Kept free of I/O so they are cheap to test.
 */
import type { ProcessState } from '../model/snapshot-types';

export interface StatFields {
  comm: string;
  state: ProcessState;
  ppid: number;
}

const STATES = new Set(['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I', 'P', 'W', 'K']);

/** /proc/PID/stat: "pid (comm) S ppid ...". comm may hold spaces and ")", so split at the LAST ")". */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const comm = text.slice(open + 1, close);
  const rest = text.slice(close + 2);
  const space = rest.indexOf(' ');
  const letter = rest.slice(0, space);
  const ppid = Number.parseInt(rest.slice(space + 1), 10);
  const state = (STATES.has(letter) ? letter : '?') as ProcessState;
  return { comm, state, ppid: Number.isFinite(ppid) ? ppid : 0 };
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

/** /proc/PID/syscall: "0 0x3 0x7ffd... 0x40 ..." or "running" or "-1 sp pc". */
export function parseSyscall(text: string): SyscallFields {
  const parts = text.trim().split(' ');
  const nr = Number.parseInt(parts[0] ?? '', 10);
  if (!Number.isFinite(nr) || nr < 0) return { nr: -1, args: [] };
  const args: bigint[] = [];
  for (let i = 1; i <= 6 && i < parts.length; i++) {
    try {
      args.push(BigInt(parts[i]!));
    } catch {
      args.push(0n);
    }
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

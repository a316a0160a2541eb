/**
 * What an op file provides: a record of op name -> OpSpec. Each op makes one
 * syscall (or one libc call that makes one blocking syscall) synchronously on
 * the actor's main thread, so a blocking call really puts the process to sleep
 * in the kernel.
 */
import { errnoName } from '../../libc/errno';
import { lastErrno } from '../../libc/libc';
import { offeredBytes, type OpArgs, type OpData, type OpOutcome } from '../actor-protocol';

/** Per-actor state the ops share. */
export interface ActorState {
  role: string;
  /** Descriptors created (or inherited) for the lesson; spawn-child passes these on by default. */
  lessonFds: Set<number>;
}

export interface OpSpec {
  /**
   * x86_64 syscall numbers this op may sleep in (first field of /proc/PID/syscall),
   * e.g. read 0, write 1, wait4 61. The engine uses them to tell "blocked in this op".
   */
  sleepsIn: number[];
  /** Name of the argument that is the descriptor the op sleeps on (arg0 in /proc/PID/syscall). */
  fdArg?: string;
  /**
   * The op waits on another process of the lesson, in calls that would not end
   * should that process die (a System V queue, a semaphore): it catches SIGCHLD
   * without SA_RESTART, and when another actor of the lesson dies while it runs
   * the engine repeats SIGCHLD until it returns (ops/race-peer.ts).
   */
  waitsOnPeer?: boolean;
  run(args: OpArgs, state: ActorState): OpOutcome;
}

export type OpTable = Record<string, OpSpec>;

export class OpArgError extends Error {
  override name = 'OpArgError';
}

export function intArg(args: OpArgs, name: string, fallback?: number): number {
  const value = args[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new OpArgError(`argument "${name}" must be an integer`);
  return value;
}

export function stringArg(args: OpArgs, name: string, fallback?: string): string {
  const value = args[name] ?? fallback;
  if (typeof value !== 'string') throw new OpArgError(`argument "${name}" must be a string`);
  return value;
}

export function intListArg(args: OpArgs, name: string): number[] | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new OpArgError(`argument "${name}" must be a list of integers`);
  }
  return value as number[];
}

/** Bytes for write-like ops: `text` (UTF-8) or `data` (base64). */
export function bytesArg(args: OpArgs): Uint8Array {
  const bytes = offeredBytes(args);
  if (!bytes) throw new OpArgError('give "text" (UTF-8) or "data" (base64)');
  return new Uint8Array(bytes);
}

/** -1 and the errno the failed call left: call it straight after that call, before anything else can overwrite errno. */
export function failed(): OpOutcome {
  return { result: -1, errno: errnoName(lastErrno()) };
}

/** The usual C convention: -1 means failure and errno says why. */
export function syscallOutcome(result: number, data?: OpData): OpOutcome {
  if (result < 0) return failed();
  return data ? { result, errno: null, data } : { result, errno: null };
}

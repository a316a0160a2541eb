/**
 * What a lesson step says, computed from its step, its arguments and the
 * kernel's reply (lesson-runner.ts): the syscall it shows, the object its
 * descriptor names, the event the view receives, and how a return is recorded
 * (status, the result text, the lesson error).
 */
import { readlinkSync, statSync } from 'node:fs';
import type { Actor, CallReply } from '../actor/actor-host';
import type { ActorExit } from '../actor/actor-exit';
import { signalName } from '../probe/process/signals';
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';
import type { LessonStep, LessonVars } from '../lessons/lesson-types';
import type { LessonParams, StepStatus, SyscallEvent } from '../model/frame-types';
import { shownResult } from './event-text';

export type RunnerEvent = Omit<SyscallEvent, 'seq' | 'time'>;

/** The syscall a step shows: a step that spawns is the lesson's fork, whatever op carries it. */
export function syscallOf(step: LessonStep): string {
  return step.spawns ? 'fork' : (step.syscall ?? step.op);
}

/** "pipe:INODE" or "fifo:INODE" for a process's descriptor, as the snapshot names it; stat and readlink open nothing. */
export function objectOfFd(pid: number, fd: number): string | null {
  try {
    const link = `/proc/${pid}/fd/${fd}`;
    const stat = statSync(link);
    if (!stat.isFIFO()) return null;
    return `${readlinkSync(link).startsWith('pipe:') ? 'pipe' : 'fifo'}:${stat.ino}`;
  } catch {
    return null;
  }
}

/** The lesson error while a step's process is stopped; cleared once the call returns. */
export function stoppedText(role: string, syscall: string): string {
  return `the ${role} process is stopped (SIGSTOP, state T): its ${syscall} cannot finish until it is continued (SIGCONT)`;
}

/** A step's call, block or return as the view's timeline shows it. */
export function stepEvent(
  index: number,
  step: LessonStep,
  actor: Actor,
  phase: SyscallEvent['phase'],
  args: OpArgs,
  object: string | null,
  extra: Partial<RunnerEvent> & { text: string },
): RunnerEvent {
  const offered = offeredBytes(args);
  const fd = typeof args.fd === 'number' ? args.fd : null;
  const bytes = typeof args.count === 'number' ? args.count : offered ? offered.length : null;
  return {
    pid: actor.pid,
    role: step.role,
    step: index,
    syscall: syscallOf(step),
    phase,
    fd,
    bytes,
    result: null,
    errno: null,
    data: offered ? offered.toString('base64') : null,
    object,
    ...extra,
  };
}

/** "killed by signal 9 (SIGKILL)" or "exit status 3", as waitpid's WTERMSIG / WEXITSTATUS say. */
export function exitText(exit: { signal?: number; exitCode?: number }): string {
  return exit.signal !== undefined ? `killed by signal ${exit.signal} (${signalName(exit.signal)})` : `exit status ${exit.exitCode}`;
}

/** How a returned call is recorded: its status, the result the step shows, and the lesson error it raises. */
export interface ReturnRecord {
  status: StepStatus;
  result: string | null;
  error: string | null;
  errno: string | null;
}

/** `exit`: how the process ended, when the call got no reply because it died (actor-exit.ts). */
export function returnRecord(step: LessonStep, reply: CallReply, vars: LessonVars, params: LessonParams, exit: ActorExit | null = null): ReturnRecord {
  const syscall = syscallOf(step);
  if (reply.result === null) {
    /* exit never returns; any other call that got no reply means the process died in it (e.g. SIGPIPE) */
    const exited = step.op === 'exit';
    const how = exit ? `: ${exitText(exit)}` : '';
    return {
      status: exited || step.expectFailure ? 'done' : 'failed',
      result: exited ? null : `no return: the process died${how}`,
      error: !exited && !step.expectFailure ? `the ${step.role} process${exit ? ` (PID ${exit.pid})` : ''} died during ${syscall}${how}` : null,
      errno: reply.errno,
    };
  }
  if (reply.result < 0) {
    const errno = reply.errno ?? 'EINVAL';
    let error: string | null = null;
    if (!step.expectFailure) {
      const note = step.failureNote?.({ ...reply, result: reply.result, errno }, vars, params) ?? reply.error;
      error = `${syscall} failed: ${errno}${note ? ` (${note})` : ''}`;
    }
    return { status: step.expectFailure ? 'done' : 'failed', result: `= -1 ${errno}`, error, errno };
  }
  /* waitpid: how the child ended, as WTERMSIG / WEXITSTATUS would say */
  const { signal, exitCode } = reply.data ?? {};
  const how = typeof signal === 'number' ? ` (killed by signal ${signal})` : typeof exitCode === 'number' ? ` (exit status ${exitCode})` : '';
  return { status: 'done', result: `= ${shownResult(reply.data) ?? reply.result}${how}`, error: null, errno: reply.errno };
}

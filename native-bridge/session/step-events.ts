/**
 * What a lesson step says, computed from its step, its arguments and the
 * kernel's reply (lesson-runner.ts): the syscall it shows, the object its
 * descriptor names, the event the view receives, and how a return is recorded
 * (status, the result text, the lesson error).
 */
import { readlinkSync, statSync } from 'node:fs';
import type { Actor, CallReply } from '../actor/actor-host';
import type { ActorExit } from '../actor/actor-exit';
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';
import type { LessonStep, LessonVars } from '../lessons/lesson-types';
import type { LessonParams, LocalizedText, StepStatus, SyscallEvent } from '../model/frame-types';
import { callFailedWords, diedDuringWords, inEachLocale, noReturnWords, reapedWords } from '../lessons/death-words';
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

/**
 * How a returned call is recorded: its status, the result the step shows, and
 * the lesson error it raises. Results and errors with words in them come in
 * the three languages (death-words.ts); a plain result ("= 12", "= -1 EPIPE")
 * is the same in each.
 */
export interface ReturnRecord {
  status: StepStatus;
  result: string | LocalizedText | null;
  error: LocalizedText | null;
  errno: string | null;
}

/** `exit`: how the process ended, when the call got no reply because it died (actor-exit.ts). */
export function returnRecord(step: LessonStep, reply: CallReply, vars: LessonVars, params: LessonParams, exit: ActorExit | null = null): ReturnRecord {
  const syscall = syscallOf(step);
  if (reply.result === null) {
    /* exit never returns; any other call that got no reply means the process died in it (e.g. SIGPIPE) */
    const exited = step.op === 'exit';
    return {
      status: exited || step.expectFailure ? 'done' : 'failed',
      result: exited ? null : noReturnWords(exit),
      error: !exited && !step.expectFailure ? diedDuringWords(step.role, syscall, exit) : null,
      errno: reply.errno,
    };
  }
  if (reply.result < 0) {
    const errno = reply.errno ?? 'EINVAL';
    let error: LocalizedText | null = null;
    if (!step.expectFailure) {
      const note = step.failureNote?.({ ...reply, result: reply.result, errno }, vars, params) ?? reply.error;
      error = callFailedWords(syscall, errno, note || null);
    }
    return { status: step.expectFailure ? 'done' : 'failed', result: `= -1 ${errno}`, error, errno };
  }
  /* waitpid: how the child ended, as WTERMSIG / WEXITSTATUS would say */
  const { signal, exitCode } = reply.data ?? {};
  const shown = `= ${shownResult(reply.data) ?? reply.result}`;
  const end = typeof signal === 'number' ? { signal } : typeof exitCode === 'number' ? { exitCode } : null;
  return { status: 'done', result: end ? inEachLocale((locale) => `${shown}${reapedWords(end)[locale]}`) : shown, error: null, errno: reply.errno };
}

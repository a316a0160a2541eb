/**
 * The kernel's view of a lesson step that has settled, for its question's
 * verdict and the lesson's claims (lessons/lesson-types.ts SettledStep).
 * Every reader goes to the kernel: /proc/PID/{stat,wchan,syscall}, FIONREAD
 * and F_GETPIPE_SZ through a descriptor borrowed with pidfd_getfd.
 */
import { readFileSync } from 'node:fs';
import type { Actor, CallReply } from '../actor/actor';
import { readKernelWait } from '../actor/kernel-wait';
import type { LessonVars, SettledStep } from '../lessons/lesson-types';
import type { LessonParams, StepStatus } from '../model/frame-types';
import { borrowOnce } from '../probe/process/pidfd';
import { readPipeFill } from '../probe/kinds/pipes/pipe-reading';

/* /proc/PID/stat field 52 is exit_code, the status waitpid would report; fields after ")" start at field 3 */
const EXIT_CODE_FIELD = 52 - 3;

function zombieExitCode(pid: number): number | null | 'running' {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields[0] !== 'Z') return 'running';
  const code = Number(fields[EXIT_CODE_FIELD]);
  return Number.isInteger(code) ? code : null;
}

export function settledStep(
  index: number,
  status: StepStatus,
  reply: CallReply | null,
  vars: LessonVars,
  params: LessonParams,
  actors: ReadonlyMap<string, Actor>,
): SettledStep {
  const pidOf = (role: string): number | undefined => actors.get(role)?.pid;
  return {
    index,
    status,
    reply,
    vars,
    params,
    pidOf,
    wait(role) {
      const pid = pidOf(role);
      return pid === undefined ? null : readKernelWait(pid);
    },
    pipeFill(role, fd) {
      const pid = pidOf(role);
      return pid === undefined ? null : borrowOnce(pid, fd, (dup) => readPipeFill(dup));
    },
    async zombieStatus(role) {
      const pid = pidOf(role);
      if (pid === undefined) return null;
      /* the control socket closes as the process exits, a moment before it becomes a zombie */
      const deadline = Date.now() + 5000;
      for (;;) {
        const code = zombieExitCode(pid);
        if (code !== 'running') return code;
        if (Date.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

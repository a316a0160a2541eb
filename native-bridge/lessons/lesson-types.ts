/**
 * A lesson is a script of steps; each step is one syscall made by one actor
 * process (see native-bridge/actor). One lesson per file; lessons/registry.ts
 * lists them. How to write one: lessons/README.md.
 */
import type { ActorReply, OpArgs } from '../actor/actor-protocol';
import type { KernelWait } from '../actor/kernel-wait';
import type { CallReply } from '../actor/actor';
import type {
  ClaimView,
  LessonMechanism,
  LessonParams,
  LessonParamSpec,
  LessonProgram,
  LocalizedText,
  QuestionChoice,
  StepStatus,
} from '../model/frame-types';
import type { RaceResult } from '../model/race-types';

/** Facts a lesson remembers between steps (descriptor numbers, pids, bytes read). */
export type LessonVars = Record<string, number | string>;

/**
 * What the kernel shows once a step has settled (returned or blocked): the
 * reply, and readers of live kernel state. Questions and claims judge from it.
 */
export interface SettledStep {
  index: number;
  status: StepStatus;
  /** The step's reply; null while it is blocked, `gone` when its process died in it. */
  reply: CallReply | null;
  vars: LessonVars;
  params: LessonParams;
  pidOf(role: string): number | undefined;
  /** /proc/PID/{stat,wchan,syscall} of the role's process; null when it is gone. */
  wait(role: string): KernelWait | null;
  /** FIONREAD and F_GETPIPE_SZ through a descriptor of the role's, borrowed for microseconds. */
  pipeFill(role: string, fd: number): { queued: number | null; capacity: number | null } | null;
  /** waitpid-style status of a role's process that is a zombie (/proc/PID/stat field 52); waits up to 5 s for it to become one. */
  zombieStatus(role: string): Promise<number | null>;
}

export interface Verdict {
  correct: string;
  evidence: LocalizedText;
}

/** "Predict, then reveal": asked before the step runs, judged from the kernel once it settled. */
export interface LessonQuestion {
  prompt: LocalizedText;
  /** 2 to 4 */
  choices: QuestionChoice[];
  judge(settled: SettledStep): Verdict | Promise<Verdict>;
}

/** A claim's verdict as measured (the step is filled in by the runner). */
export type ClaimMeasure = Omit<NonNullable<ClaimView['verdict']>, 'step'>;

/** A statement from the course material and how this run's kernel answers it. */
export interface LessonClaim {
  id: string;
  claim: LocalizedText;
  /** `id` of the step after which the kernel can answer. */
  after: string;
  measure(settled: SettledStep): ClaimMeasure | Promise<ClaimMeasure>;
}

/** A descriptor the picture should point at, with why (e.g. the write end a reader forgot to close). */
export interface StepFocus {
  role: string;
  fd: number;
  note: LocalizedText;
}

export interface LessonStep {
  /** Names the step for claims (`LessonClaim.after`); optional. */
  id?: string;
  /** Process that makes the call, e.g. "parent". */
  role: string;
  /** Actor op to run (see actor/ops/registry.ts); "spawn-child" creates the process named by `spawns`. */
  op: string;
  /** Role of the process this step creates (op "spawn-child"). */
  spawns?: string;
  /** The syscall events name, when the op's name is not it (op "write-fill" is a "write", "get-pipe-size" an "fcntl"). */
  syscall?: string;
  /** Arguments, from what earlier steps returned. */
  args?: (vars: LessonVars) => OpArgs;
  /** Remembers what the call returned, for later steps. */
  save?: (reply: ActorReply, vars: LessonVars) => void;
  /** The call as C would write it. */
  code: string;
  /** Program (LessonProgram.file) and 1-based line this step executes. */
  program?: string;
  line?: number;
  explain: LocalizedText;
  /**
   * When the call fails unexpectedly: the kernel limit behind the errno, named
   * with its value as the kernel has it now ("size 0 is below SHMMIN (1)"); null when none explains it.
   */
  failureNote?: (reply: ActorReply, vars: LessonVars, params: LessonParams) => string | LocalizedText | null;
  /** The call is meant to fail (-1 and an errno) or to kill its process (SIGPIPE): the lesson goes on. */
  expectFailure?: boolean;
  question?: LessonQuestion;
  /** Descriptors to point at once the step has settled. */
  focus?: (vars: LessonVars) => StepFocus[];
}

export interface Lesson {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  mechanism: LessonMechanism;
  programs: LessonProgram[];
  /** Role of the process the engine starts before step 0. */
  firstRole: string;
  /** Further roles the engine itself starts before step 0 (unrelated processes, e.g. a FIFO client). */
  alsoStarts?: string[];
  /** The steps with default parameters. */
  steps: LessonStep[];
  /** Parameters a learner may choose; `stepsFor` builds the steps for a choice. */
  params?: LessonParamSpec[];
  stepsFor?: (params: LessonParams) => LessonStep[];
  claims?: LessonClaim[];
  /**
   * The lesson needs a private directory (vars.dir), e.g. for a FIFO. The
   * engine removes it when the lesson ends, and a watchdog removes it if the
   * engine is killed.
   */
  tempDir?: boolean;
  /** The race's measurements so far, from what its steps saved (lessons/race/ipc-race.ts); shown in LessonView.race. */
  race?: (vars: LessonVars, params: LessonParams) => RaceResult | null;
}

/** Reads a number a previous step saved; a lesson script bug if missing. */
export function numberVar(vars: LessonVars, name: string): number {
  const value = vars[name];
  if (typeof value !== 'number') throw new Error(`lesson variable "${name}" is not set yet`);
  return value;
}

export function stringVar(vars: LessonVars, name: string): string {
  const value = vars[name];
  if (typeof value !== 'string') throw new Error(`lesson variable "${name}" is not set yet`);
  return value;
}

/** The steps a lesson runs with these (validated) parameters. */
export function stepsOf(lesson: Lesson, params: LessonParams): LessonStep[] {
  return lesson.stepsFor ? lesson.stepsFor(params) : lesson.steps;
}

/**
 * A lesson is a script of steps; each step is one syscall made by one actor
 * process (see native-bridge/actor). One lesson per file; lessons/registry.ts
 * lists them.
 */
import type { ActorReply, OpArgs } from '../actor/actor-protocol';
import type { LessonMechanism, LessonProgram, LocalizedText } from '../model/frame-types';

/** Facts a lesson remembers between steps (descriptor numbers, pids, bytes read). */
export type LessonVars = Record<string, number | string>;

export interface LessonStep {
  /** Process that makes the call, e.g. "parent". */
  role: string;
  /** Actor op to run (see actor/ops/registry.ts); "spawn-child" creates the process named by `spawns`. */
  op: string;
  /** Role of the process this step creates (op "spawn-child"). */
  spawns?: string;
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
}

export interface Lesson {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  mechanism: LessonMechanism;
  programs: LessonProgram[];
  /** Role of the process the engine starts before step 0. */
  firstRole: string;
  steps: LessonStep[];
}

/** Reads a number a previous step saved; a lesson script bug if missing. */
export function numberVar(vars: LessonVars, name: string): number {
  const value = vars[name];
  if (typeof value !== 'number') throw new Error(`lesson variable "${name}" is not set yet`);
  return value;
}

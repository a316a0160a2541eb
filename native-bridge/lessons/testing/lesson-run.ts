/**
 * Test support: runs a lesson on real processes one step at a time, records
 * its events, and checks afterwards that nothing is left (no process, no
 * holder of its pipes, no directory).
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { alive, holdersOf, until } from '../../actor/kernel-test-helpers';
import { readKernelWait } from '../../actor/kernel-wait';
import type { LessonParams } from '../../model/frame-types';
import { LessonRunner, type RunnerEvent, type StepOutcome } from '../../session/lesson-runner';
import { validateParams } from '../lesson-params';
import type { Lesson } from '../lesson-types';

export { alive, holdersOf, until };

export class LessonRun {
  readonly events: RunnerEvent[] = [];
  private pidsSeen = new Set<number>();
  private pipeTargets = new Set<string>();
  private dir: string | null = null;

  private constructor(readonly runner: LessonRunner) {}

  static async start(lesson: Lesson, params: LessonParams = {}): Promise<LessonRun> {
    let run: LessonRun | null = null;
    const runner = await LessonRunner.start(lesson, { onEvent: (e) => run?.events.push(e) }, { params: validateParams(lesson, params) });
    run = new LessonRun(runner);
    run.dir = runner.dir;
    return run;
  }

  pid(role: string): number {
    const pid = this.runner.view(false, 1).roles[role];
    if (pid === undefined) throw new Error(`no ${role} yet`);
    return pid;
  }

  /** Runs the next step, remembering its processes and pipes for the final check. */
  async step(): Promise<StepOutcome> {
    const outcome = await this.runner.step();
    for (const pid of this.runner.pids()) this.pidsSeen.add(pid);
    for (const id of this.runner.view(false, 1).objects) this.pipeTargets.add(`pipe:[${id.split(':')[1]}]`);
    return outcome;
  }

  /** Runs steps until `count` have been issued; returns the last outcome. */
  async stepTo(count: number): Promise<StepOutcome> {
    let outcome: StepOutcome = { index: -1, status: 'finished' };
    while (this.runner.next < count) outcome = await this.step();
    return outcome;
  }

  /** The return event of step `index`, once it has come. */
  async returned(index: number): Promise<RunnerEvent> {
    await until(() => this.events.some((e) => e.step === index && e.phase === 'return'));
    return this.events.find((e) => e.step === index && e.phase === 'return')!;
  }

  /** Stops the lesson and checks the kernel shows nothing of it any more. */
  async disposeAndCheck(): Promise<void> {
    for (const pid of this.runner.pids()) this.pidsSeen.add(pid);
    await this.runner.dispose();
    for (const pid of this.pidsSeen) expect(alive(pid), `process ${pid} still there`).toBe(false);
    for (const target of this.pipeTargets) expect(holdersOf(target)).toEqual([]);
    if (this.dir) expect(existsSync(this.dir)).toBe(false);
  }
}

/** /proc/PID/comm without the newline: the kernel's name of the process. */
export function commOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** The kernel shows `pid` asleep (S) in `wchan`, inside syscall `nr` whose first argument is `arg0` (an id, a descriptor). */
export function asleepInCall(pid: number, wchan: string, nr: number, arg0: number): boolean {
  const w = readKernelWait(pid);
  return w !== null && w.state === 'S' && w.wchan === wchan && w.syscallNr === nr && w.arg0 === arg0;
}

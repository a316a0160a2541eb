/**
 * The session's running lesson (session.ts): starting and ending it, play
 * and pause, single steps and the step back. At most one lesson runs; a
 * lesson's end, once begun, is shared by every command that ends it.
 *
 * A step that must wait for its role's blocked call to return can hold the
 * session's command queue: a lesson.stop, start or restart that arrives
 * meanwhile ends that lesson at once (its waiting step settles as "stopped").
 */
import type { CommandResult } from '../model/commands';
import type { LessonParams, LessonView } from '../model/frame-types';
import type { Lesson } from '../lessons/lesson-types';
import { LessonRunner, type RunnerEvent, type RunnerOptions } from './lesson-runner';

/* how often a step with a lesson's end queued behind it is checked for waiting on a blocked call */
const CUT_CHECK_MS = 20;

export interface LessonControlHooks {
  onEvent(event: RunnerEvent): void;
  /** The view changed: send a frame. */
  changed(): void;
  /** A lesson is starting: an observation must end. */
  starting(): void;
}

export class LessonControl {
  private current: LessonRunner | null = null;
  private playing = false;
  private playGeneration = 0;
  private questionsOn = true;
  private speed = 1;
  /** the runner whose step the session's queue is applying now, if any */
  private steppingRunner: LessonRunner | null = null;
  /** each runner's disposal, once begun: ending a lesson twice waits for the same reaping */
  private readonly endings = new WeakMap<LessonRunner, Promise<void>>();

  constructor(
    private readonly hooks: LessonControlHooks,
    /** Pause after each step while playing, at speed 1 (ms). */
    private readonly stepDelayMs: number,
  ) {}

  get runner(): LessonRunner | null {
    return this.current;
  }

  view(): LessonView | null {
    return this.current?.view(this.playing, this.speed) ?? null;
  }

  setSpeed(value: number): void {
    this.speed = value;
  }

  setQuestions(on: boolean): void {
    this.questionsOn = on;
    if (this.current) this.current.questionsOn = on;
  }

  async start(lesson: Lesson, params: LessonParams, answers?: ReadonlyMap<number, string>): Promise<LessonRunner> {
    await this.stop();
    this.hooks.starting();
    const options: RunnerOptions = { questionsOn: this.questionsOn, params, ...(answers ? { answers } : {}) };
    const runner = await LessonRunner.start(lesson, { onEvent: (e) => this.hooks.onEvent(e), onChange: () => this.hooks.changed() }, options);
    this.current = runner;
    this.hooks.changed();
    return runner;
  }

  async stop(): Promise<void> {
    this.playing = false;
    this.playGeneration += 1;
    const runner = this.current;
    this.current = null;
    if (runner) await this.endRunner(runner);
  }

  /** The session closes: a step waiting in its queue must not keep the processes alive. */
  abandon(): void {
    if (this.current) void this.endRunner(this.current);
  }

  /** One step; `endsQueued` says how many commands that end the lesson wait behind it. */
  async step(endsQueued: () => number): Promise<CommandResult> {
    const runner = this.current;
    if (!runner) return { ok: false, error: 'no lesson is running' };
    if (!runner.hasMoreSteps) return { ok: false, error: 'the lesson has no more steps (restart it)' };
    const asking = runner.awaitingAnswer;
    if (asking !== null) return { ok: false, error: `step ${asking + 1} asks a question: answer it first (or turn questions off)` };
    this.steppingRunner = runner;
    try {
      const outcome = runner.step();
      let settled = false;
      void outcome.finally(() => (settled = true)).catch(() => undefined);
      /* the end of this lesson is queued behind this step: should the step come to wait, cut it */
      while (!settled && endsQueued() > 0 && this.current === runner) {
        await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, CUT_CHECK_MS))]);
        if (!settled) this.cutWaitingStep();
      }
      return { ok: true, data: await outcome };
    } finally {
      this.steppingRunner = null;
    }
  }

  play(): CommandResult {
    const runner = this.current;
    if (!runner) return { ok: false, error: 'no lesson is running' };
    if (!runner.hasMoreSteps) return { ok: false, error: 'the lesson has no more steps (restart it)' };
    if (!this.playing) {
      this.playing = true;
      void this.playLoop(runner, ++this.playGeneration);
    }
    return { ok: true };
  }

  /** A syscall in flight stays in flight, as in reality: only the issuing stops. */
  pause(): void {
    this.playing = false;
    this.playGeneration += 1;
  }

  /**
   * Step back by honest re-execution: the lesson starts again on new
   * processes with the same parameters, and steps 0..step-1 run again at full
   * speed (their questions keep their answers and are judged again).
   */
  async stepBack(step: number): Promise<CommandResult> {
    const old = this.current;
    if (!old) return { ok: false, error: 'no lesson is running' };
    if (step > old.next) return { ok: false, error: `step.back goes back only: step ${step} is past the next step (${old.next})` };
    const answers = new Map([...old.answersGiven].filter(([index]) => index < step));
    const runner = await this.start(old.lesson, old.params, answers);
    for (let i = 0; i < step && this.current === runner; i += 1) await runner.step();
    if (this.current !== runner) return { ok: false, error: 'the lesson was stopped during the step back' };
    runner.replayed = step > 0 ? { from: 1, to: step } : null;
    this.hooks.changed();
    return { ok: true, data: { replayed: runner.replayed } };
  }

  /**
   * A lesson.stop/start/restart arrived while the queue applies a step that
   * waits for its role's blocked call to return: only another role's step
   * could wake it, and that step is queued behind it. End the lesson now; the
   * waiting step settles as "stopped" and the queue moves on.
   */
  cutWaitingStep(): void {
    const runner = this.steppingRunner;
    if (runner !== null && runner === this.current && waitsOnBlockedCall(runner.view(this.playing, this.speed))) {
      this.playing = false;
      this.playGeneration += 1;
      void this.endRunner(runner);
    }
  }

  private endRunner(runner: LessonRunner): Promise<void> {
    let ending = this.endings.get(runner);
    if (ending === undefined) {
      ending = runner.dispose();
      this.endings.set(runner, ending);
    }
    return ending;
  }

  private async playLoop(runner: LessonRunner, generation: number): Promise<void> {
    const current = (): boolean => this.playing && generation === this.playGeneration && this.current === runner;
    /* with questions on, play stops before a question the learner has not answered */
    while (current() && runner.hasMoreSteps && runner.awaitingAnswer === null) {
      await runner.step();
      if (!current() || !runner.hasMoreSteps || runner.awaitingAnswer !== null) break;
      await new Promise((resolve) => setTimeout(resolve, this.stepDelayMs / this.speed));
    }
    if (generation === this.playGeneration) {
      this.playing = false;
      this.hooks.changed();
    }
  }
}

/**
 * The last step issued has not started: it waits for an earlier call of its
 * role that is asleep in the kernel (see LessonRunner.issueNext).
 */
function waitsOnBlockedCall(view: LessonView): boolean {
  const last = view.steps[view.next - 1];
  if (last === undefined || last.status !== 'pending') return false;
  return view.steps.some((step) => step.index < last.index && step.role === last.role && step.status === 'blocked');
}

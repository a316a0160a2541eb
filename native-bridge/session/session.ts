/**
 * The engine session: validated commands in, frames out.
 *
 * - Commands (model/commands.ts): lesson.start/stop/restart, play, pause,
 *   step, step.back, answer, questions, speed, rate, lessons.list, observe,
 *   observe.stop. Bad input gives { ok: false, error } and changes nothing.
 * - A lesson and an observation of real processes never run at once:
 *   starting one ends the other. Frames carry the observed scope
 *   (`observing`); a named process that exits, or whose PID another process
 *   now has, shows as gone.
 * - Commands are applied strictly in the order they arrive, from every client:
 *   one starts only once the previous one is applied. A step is applied when
 *   its syscall returned or its process is asleep in it (the runner settles it
 *   as "blocked"), so a blocked read does not hold the queue. A step that must
 *   wait for its role's blocked call to return can hold it: a lesson.stop,
 *   start or restart that arrives meanwhile ends that lesson at once (its
 *   waiting step settles as "stopped") and is then applied in its turn.
 * - Frames: while at least one listener is subscribed, a timer at the sampling
 *   rate samples the lesson's processes with the probe and emits a Frame; a
 *   frame is also emitted right after every syscall event, so a close or a
 *   return shows at once. With no lesson running, frames keep flowing with an
 *   empty scope (the view stays live and shows the rate in force).
 * - Nothing is left behind: stop, restart, dispose and the engine's 'exit'
 *   handler (ActorTeam) kill and reap every actor.
 */
import { CommandError, RATE_DEFAULT_HZ, parseCommand, type Command, type CommandResult } from '../model/commands';
import type { Frame, LessonParams, LessonSummary, LessonView, SyscallEvent } from '../model/frame-types';
import type { EngineSession } from '../model/session-api';
import type { Snapshot } from '../model/snapshot-types';
import { validateParams } from '../lessons/lesson-params';
import { allLessons, lessonSummaries } from '../lessons/registry';
import type { Lesson } from '../lessons/lesson-types';
import { LESSON_TABLE_BUDGET, Sampler, WATCH_SAMPLER_OPTIONS } from '../probe';
import { processExists } from '../actor/reaper';
import type { ExitStatus } from '../model/frame-types';
import { Observation, ObserveError } from './observation';
import { listProcessesResult } from './process-list';
import { LessonRunner, type RunnerEvent, type RunnerOptions } from './lesson-runner';

export interface SessionOptions {
  /** Pause after each step while playing, at speed 1 (ms). */
  stepDelayMs?: number;
  /** The lessons lesson.start may name (default: lessons/registry.ts); tests add their own. */
  lessons?: readonly Lesson[];
}

/* how often a step with a lesson's end queued behind it is checked for waiting on a blocked call */
const CUT_CHECK_MS = 20;
/* events kept for a frame when no one listens, so memory stays bounded */
const MAX_QUEUED_EVENTS = 500;

export class Session implements EngineSession {
  private runner: LessonRunner | null = null;
  private playing = false;
  private playGeneration = 0;
  private questionsOn = true;
  private speed = 1;
  private rateHz = RATE_DEFAULT_HZ;
  private frameSeq = 0;
  private eventSeq = 0;
  private events: SyscallEvent[] = [];
  private readonly listeners = new Set<(frame: Frame) => void>();
  private timer: NodeJS.Timeout | null = null;
  private readonly sampler: Sampler;
  private readonly stepDelayMs: number;
  private readonly lessonSet: readonly Lesson[];
  /** every command, and dispose, applied one at a time in arrival order */
  private queue: Promise<unknown> = Promise.resolve();
  /** the runner whose step the queue is applying now, if any */
  private steppingRunner: LessonRunner | null = null;
  /** lesson.stop/start/restart commands queued and not yet begun */
  private endsQueued = 0;
  /** each runner's disposal, once begun: ending a lesson twice waits for the same reaping */
  private readonly endings = new WeakMap<LessonRunner, Promise<void>>();
  private disposed = false;
  private observation: Observation | null = null;

  constructor(options: SessionOptions = {}) {
    this.stepDelayMs = options.stepDelayMs ?? 1200;
    this.lessonSet = options.lessons ?? allLessons;
    // Descriptor tables are re-read every 200 ms, when a process's fd count
    // changes, and right after every syscall event (invalidate below).
    // New tables are read a budget at a time while a lesson's processes are born (pool: Snapshot.unreadTables).
    this.sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, tableBudget: LESSON_TABLE_BUDGET, diagnose: true });
  }

  async handle(input: unknown): Promise<CommandResult> {
    let command: Command;
    try {
      command = parseCommand(input);
    } catch (err) {
      return { ok: false, error: err instanceof CommandError ? err.message : String(err) };
    }
    if (this.disposed) return { ok: false, error: 'the session is closed' };
    /*
     * A PID that cannot be observed is refused at once, not in its turn: it
     * changes nothing, and queued behind a step that waits on a blocked call
     * its answer would never come. (Checked again when applied.)
     */
    const refused = command.type === 'observe' ? checkObserve(command) : null;
    /* read-only: answered at once, never queued behind a step that waits on a blocked call */
    if (command.type === 'processes.list') return listProcessesResult(command.query);
    if (refused !== null) return { ok: false, error: refused };
    const ends = this.endsLesson(command);
    if (ends) {
      this.endsQueued += 1;
      this.cutWaitingStep();
    }
    try {
      return await this.enqueue(() => {
        if (ends) this.endsQueued -= 1;
        return this.disposed ? { ok: false, error: 'the session is closed' } : this.run(command);
      });
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  /** True while a listener is subscribed and the sampling timer runs. */
  get sampling(): boolean {
    return this.timer !== null;
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    this.restartTimer();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  lessons(): LessonSummary[] {
    return lessonSummaries(this.lessonSet);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTimer();
    /* a step waiting in the queue must not keep the processes alive */
    if (this.runner) void this.endRunner(this.runner);
    await this.enqueue(() => this.stopLesson());
    this.endObservation();
    this.sampler.close();
    this.listeners.clear();
  }

  private async run(command: Command): Promise<CommandResult> {
    switch (command.type) {
      case 'lessons.list':
        return { ok: true, data: this.lessons() };
      case 'lesson.start': {
        const lesson = this.findLesson(command.lesson);
        if (!lesson) return { ok: false, error: `unknown lesson "${command.lesson}" (see lessons.list)` };
        let params: LessonParams;
        try {
          params = validateParams(lesson, command.params);
        } catch (err) {
          return { ok: false, error: (err as Error).message };
        }
        const runner = await this.startLesson(lesson, params, { questionsOn: this.questionsOn });
        return { ok: true, data: { lesson: lesson.id, params, roles: runner.view(false, this.speed).roles } };
      }
      case 'lesson.stop':
        await this.stopLesson();
        this.emitFrame();
        return { ok: true };
      case 'lesson.restart': {
        const runner = this.runner;
        if (!runner) return { ok: false, error: 'no lesson to restart' };
        return this.run({ type: 'lesson.start', lesson: runner.lesson.id, params: runner.params });
      }
      case 'step': {
        const runner = this.runner;
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
          while (!settled && this.endsQueued > 0 && this.runner === runner) {
            await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, CUT_CHECK_MS))]);
            if (!settled) this.cutWaitingStep();
          }
          return { ok: true, data: await outcome };
        } finally {
          this.steppingRunner = null;
        }
      }
      case 'play': {
        const runner = this.runner;
        if (!runner) return { ok: false, error: 'no lesson is running' };
        if (!runner.hasMoreSteps) return { ok: false, error: 'the lesson has no more steps (restart it)' };
        if (!this.playing) {
          this.playing = true;
          void this.playLoop(runner, ++this.playGeneration);
        }
        this.emitFrame();
        return { ok: true };
      }
      case 'pause':
        /* a syscall in flight stays in flight, as in reality: only the issuing stops */
        this.playing = false;
        this.playGeneration += 1;
        this.emitFrame();
        return { ok: true };
      case 'speed':
        this.speed = command.value;
        return { ok: true };
      case 'rate':
        this.rateHz = command.hz;
        this.restartTimer();
        return { ok: true };
      case 'answer': {
        const runner = this.runner;
        if (!runner) return { ok: false, error: 'no lesson is running' };
        runner.answer(command.step, command.choice);
        this.emitFrame();
        return { ok: true };
      }
      case 'questions':
        this.questionsOn = command.on;
        if (this.runner) this.runner.questionsOn = command.on;
        this.emitFrame();
        return { ok: true };
      case 'step.back':
        return this.stepBack(command.step);
      case 'observe': {
        const { type: _type, ...scope } = command;
        let observation: Observation;
        try {
          observation = Observation.open(scope);
        } catch (err) {
          if (err instanceof ObserveError) return { ok: false, error: err.message };
          throw err;
        }
        await this.stopLesson();
        this.endObservation();
        this.observation = observation;
        this.emitFrame();
        return { ok: true, data: { observing: observation.view() } };
      }
      case 'processes.list':
        return listProcessesResult(command.query);
      case 'observe.stop':
        this.endObservation();
        this.emitFrame();
        return { ok: true };
    }
  }

  /**
   * `ipcscope run`: its command ended with `status`. The observation keeps
   * showing its last snapshot (taken while the command was alive), with the
   * status. Not a wire command: the view cannot start or end a program.
   */
  markObservedExit(status: ExitStatus): void {
    if (!this.observation) return;
    this.observation.ended(status);
    this.emitFrame();
  }

  private endObservation(): void {
    this.observation?.close();
    this.observation = null;
  }

  private findLesson(id: string): Lesson | undefined {
    return this.lessonSet.find((lesson) => lesson.id === id);
  }

  /** Commands that will end the running lesson, so they may cut a step that waits. */
  private endsLesson(command: Command): boolean {
    if (command.type === 'lesson.start') return this.findLesson(command.lesson) !== undefined;
    return command.type === 'observe' || command.type === 'lesson.stop' || command.type === 'lesson.restart' || command.type === 'step.back';
  }

  private async startLesson(lesson: Lesson, params: LessonParams, options: RunnerOptions): Promise<LessonRunner> {
    await this.stopLesson();
    this.endObservation();
    const runner = await LessonRunner.start(lesson, { onEvent: (e) => this.onEvent(e), onChange: () => this.emitFrame() }, { ...options, params });
    this.runner = runner;
    this.emitFrame();
    return runner;
  }

  /**
   * Step back by honest re-execution: the lesson starts again on new
   * processes with the same parameters, and steps 0..step-1 run again at full
   * speed (their questions keep their answers and are judged again).
   */
  private async stepBack(step: number): Promise<CommandResult> {
    const old = this.runner;
    if (!old) return { ok: false, error: 'no lesson is running' };
    if (step > old.next) return { ok: false, error: `step.back goes back only: step ${step} is past the next step (${old.next})` };
    const answers = new Map([...old.answersGiven].filter(([index]) => index < step));
    const runner = await this.startLesson(old.lesson, old.params, { questionsOn: this.questionsOn, answers });
    for (let i = 0; i < step && this.runner === runner; i += 1) await runner.step();
    if (this.runner !== runner) return { ok: false, error: 'the lesson was stopped during the step back' };
    runner.replayed = step > 0 ? { from: 1, to: step } : null;
    this.emitFrame();
    return { ok: true, data: { replayed: runner.replayed } };
  }

  private enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * A lesson.stop/start/restart arrived while the queue applies a step that
   * waits for its role's blocked call to return: only another role's step
   * could wake it, and that step is queued behind it. End the lesson now; the
   * waiting step settles as "stopped" and the queue moves on.
   */
  private cutWaitingStep(): void {
    const runner = this.steppingRunner;
    if (runner !== null && runner === this.runner && waitsOnBlockedCall(runner.view(this.playing, this.speed))) {
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

  private async stopLesson(): Promise<void> {
    this.playing = false;
    this.playGeneration += 1;
    const runner = this.runner;
    this.runner = null;
    if (runner) await this.endRunner(runner);
  }

  private async playLoop(runner: LessonRunner, generation: number): Promise<void> {
    const current = (): boolean => this.playing && generation === this.playGeneration && this.runner === runner;
    /* with questions on, play stops before a question the learner has not answered */
    while (current() && runner.hasMoreSteps && runner.awaitingAnswer === null) {
      await runner.step();
      if (!current() || !runner.hasMoreSteps || runner.awaitingAnswer !== null) break;
      await new Promise((resolve) => setTimeout(resolve, this.stepDelayMs / this.speed));
    }
    if (generation === this.playGeneration) {
      this.playing = false;
      this.emitFrame();
    }
  }

  private onEvent(event: RunnerEvent): void {
    this.events.push({ ...event, seq: ++this.eventSeq, time: Date.now() });
    if (this.events.length > MAX_QUEUED_EVENTS) this.events.splice(0, this.events.length - MAX_QUEUED_EVENTS);
    /* a 'call' is announced before the op is sent: no descriptor has changed yet */
    if (event.phase !== 'call') this.sampler.invalidate();
    this.emitFrame();
  }

  private sample(): Snapshot {
    const pids = this.runner?.pids().filter(processExists) ?? [];
    try {
      return this.observation ? this.observation.sample() : this.sampler.sample({ pids });
    } catch (err) {
      return { takenAt: Date.now(), durationMs: 0, processes: [], objects: [], problems: [{ pid: 0, reason: String(err) }] };
    }
  }

  private emitFrame(): void {
    if (this.listeners.size === 0 || this.disposed) return;
    const frame: Frame = {
      ...this.sample(),
      seq: ++this.frameSeq,
      rateHz: this.rateHz,
      events: this.events,
      lesson: this.runner?.view(this.playing, this.speed) ?? null,
      observing: this.observation?.view() ?? null,
    };
    if (this.observation) frame.traffic = this.observation.traffic;
    this.events = [];
    for (const listener of this.listeners) listener(frame);
  }

  private restartTimer(): void {
    this.stopTimer();
    if (this.listeners.size === 0 || this.disposed) return;
    this.timer = setInterval(() => this.emitFrame(), 1000 / this.rateHz);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The reason an observe cannot start now, or null. */
function checkObserve(command: Extract<Command, { type: 'observe' }>): string | null {
  const { type: _type, ...scope } = command;
  try {
    Observation.check(scope);
    return null;
  } catch (err) {
    if (err instanceof ObserveError) return err.message;
    throw err;
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

export async function createSession(options: SessionOptions = {}): Promise<Session> {
  return new Session(options);
}

/**
 * The engine session: validated commands in, frames out.
 *
 * - Commands (model/commands.ts): lesson.start/stop/restart, play, pause,
 *   step, speed, rate, lessons.list. Bad input gives { ok: false, error } and
 *   changes nothing.
 * - Frames: while at least one listener is subscribed, a timer at the sampling
 *   rate samples the lesson's processes with the probe and emits a Frame; a
 *   frame is also emitted right after every syscall event, so a close or a
 *   return shows at once. With no lesson running, frames keep flowing with an
 *   empty scope (the view stays live and shows the rate in force).
 * - Nothing is left behind: stop, restart, dispose and the engine's 'exit'
 *   handler (ActorTeam) kill and reap every actor.
 */
import { CommandError, RATE_DEFAULT_HZ, parseCommand, type Command, type CommandResult } from '../model/commands';
import type { Frame, LessonParams, LessonSummary, SyscallEvent } from '../model/frame-types';
import type { EngineSession } from '../model/session-api';
import type { Snapshot } from '../model/snapshot-types';
import { validateParams } from '../lessons/lesson-params';
import type { Lesson } from '../lessons/lesson-types';
import { findLesson, lessonSummaries } from '../lessons/registry';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../probe';
import { processExists } from '../actor/reaper';
import { LessonRunner, type RunnerEvent, type RunnerOptions } from './lesson-runner';

export interface SessionOptions {
  /** Pause after each step while playing, at speed 1 (ms). */
  stepDelayMs?: number;
}

/* events kept for a frame when no one listens, so memory stays bounded */
const MAX_QUEUED_EVENTS = 500;

export class Session implements EngineSession {
  private runner: LessonRunner | null = null;
  private playing = false;
  private playGeneration = 0;
  private speed = 1;
  private questionsOn = true;
  private rateHz = RATE_DEFAULT_HZ;
  private frameSeq = 0;
  private eventSeq = 0;
  private events: SyscallEvent[] = [];
  private readonly listeners = new Set<(frame: Frame) => void>();
  private timer: NodeJS.Timeout | null = null;
  private readonly sampler: Sampler;
  private readonly stepDelayMs: number;
  /** lesson.start/stop/restart and dispose run one at a time */
  private lifecycle: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(options: SessionOptions = {}) {
    this.stepDelayMs = options.stepDelayMs ?? 1200;
    // Descriptor tables are re-read every 200 ms, when a process's fd count
    // changes, and right after every syscall event (invalidate below).
    this.sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
  }

  async handle(input: unknown): Promise<CommandResult> {
    let command: Command;
    try {
      command = parseCommand(input);
    } catch (err) {
      return { ok: false, error: err instanceof CommandError ? err.message : String(err) };
    }
    if (this.disposed) return { ok: false, error: 'the session is closed' };
    try {
      return await this.run(command);
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
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
    return lessonSummaries();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTimer();
    await this.exclusive(() => this.stopLesson());
    this.sampler.close();
    this.listeners.clear();
  }

  private async run(command: Command): Promise<CommandResult> {
    switch (command.type) {
      case 'lessons.list':
        return { ok: true, data: this.lessons() };
      case 'lesson.start': {
        const lesson = findLesson(command.lesson);
        if (!lesson) return { ok: false, error: `unknown lesson "${command.lesson}" (see lessons.list)` };
        let params: LessonParams;
        try {
          params = validateParams(lesson, command.params);
        } catch (err) {
          return { ok: false, error: (err as Error).message };
        }
        return this.exclusive(async () => {
          await this.startLesson(lesson, params, { questionsOn: this.questionsOn });
          return { ok: true, data: { lesson: lesson.id, params, roles: this.runner?.view(false, this.speed).roles ?? {} } };
        });
      }
      case 'lesson.stop':
        return this.exclusive(async () => {
          await this.stopLesson();
          this.emitFrame();
          return { ok: true };
        });
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
        const outcome = await runner.step();
        return { ok: true, data: outcome };
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
    }
  }

  private async startLesson(lesson: Lesson, params: LessonParams, options: RunnerOptions): Promise<LessonRunner> {
    await this.stopLesson();
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
    return this.exclusive(async () => {
      const answers = new Map([...old.answersGiven].filter(([index]) => index < step));
      const runner = await this.startLesson(old.lesson, old.params, { questionsOn: this.questionsOn, answers });
      for (let i = 0; i < step && this.runner === runner; i += 1) await runner.step();
      if (this.runner !== runner) return { ok: false, error: 'the lesson was stopped during the step back' };
      runner.replayed = step > 0 ? { from: 1, to: step } : null;
      this.emitFrame();
      return { ok: true, data: { replayed: runner.replayed } };
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lifecycle.then(task);
    this.lifecycle = result.catch(() => undefined);
    return result;
  }

  private async stopLesson(): Promise<void> {
    this.playing = false;
    this.playGeneration += 1;
    const runner = this.runner;
    this.runner = null;
    if (runner) await runner.dispose();
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
      return this.sampler.sample({ pids });
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
    };
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

export async function createSession(options: SessionOptions = {}): Promise<Session> {
  return new Session(options);
}

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
 *
 * Here: the command queue, their dispatch and the observation; the running
 * lesson is lesson-control.ts, the frame timer frame-clock.ts.
 */
import { CommandError, parseCommand, type Command, type CommandResult } from '../model/commands';
import type { ExitStatus, Frame, LessonParams, LessonSummary } from '../model/frame-types';
import type { EngineSession } from '../model/session-api';
import type { Snapshot } from '../model/snapshot-types';
import { validateParams } from '../lessons/lesson-params';
import { allLessons, lessonSummaries } from '../lessons/registry';
import type { Lesson } from '../lessons/lesson-types';
import { LESSON_TABLE_BUDGET, Sampler, WATCH_SAMPLER_OPTIONS } from '../probe';
import { processExists } from '../actor/reaper';
import { FrameClock, type FrameBody } from './frame-clock';
import { LessonControl } from './lesson-control';
import type { RunnerEvent } from './lesson-runner';
import { Observation, ObserveError } from './observation';
import { listProcessesResult } from './process-list';
import { matchCmdlinesResult } from './cmdline-match';

export interface SessionOptions {
  /** Pause after each step while playing, at speed 1 (ms). */
  stepDelayMs?: number;
  /** The lessons lesson.start may name (default: lessons/registry.ts); tests add their own. */
  lessons?: readonly Lesson[];
}

export class Session implements EngineSession {
  private readonly control: LessonControl;
  private readonly frames: FrameClock;
  private readonly sampler: Sampler;
  private readonly lessonSet: readonly Lesson[];
  /** every command, and dispose, applied one at a time in arrival order */
  private queue: Promise<unknown> = Promise.resolve();
  /** lesson.stop/start/restart commands queued and not yet begun */
  private endsQueued = 0;
  private disposed = false;
  private observation: Observation | null = null;

  constructor(options: SessionOptions = {}) {
    this.lessonSet = options.lessons ?? allLessons;
    // Descriptor tables are re-read every 200 ms, when a process's fd count
    // changes, and right after every syscall event (invalidate below).
    // New tables are read a budget at a time while a lesson's processes are born (pool: Snapshot.unreadTables).
    this.sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, tableBudget: LESSON_TABLE_BUDGET, diagnose: true });
    this.frames = new FrameClock(() => this.frameBody());
    this.control = new LessonControl(
      { onEvent: (e) => this.onEvent(e), changed: () => this.frames.emit(), starting: () => this.endObservation() },
      options.stepDelayMs ?? 1200,
    );
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
    if (command.type === 'processes.list') return listProcessesResult(command.query, this.observation?.machine ?? null);
    if (command.type === 'processes.match') return matchCmdlinesResult(command.text, command.pids);
    if (refused !== null) return { ok: false, error: refused };
    const ends = this.endsLesson(command);
    if (ends) {
      this.endsQueued += 1;
      this.control.cutWaitingStep();
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
    return this.frames.sampling;
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    return this.frames.onFrame(listener);
  }

  lessons(): LessonSummary[] {
    return lessonSummaries(this.lessonSet);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.frames.close();
    /* a step waiting in the queue must not keep the processes alive */
    this.control.abandon();
    await this.enqueue(() => this.control.stop());
    this.endObservation();
    this.sampler.close();
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
        const runner = await this.control.start(lesson, params);
        return { ok: true, data: { lesson: lesson.id, params, roles: runner.view(false, 1).roles } };
      }
      case 'lesson.stop':
        await this.control.stop();
        this.frames.emit();
        return { ok: true };
      case 'lesson.restart': {
        const runner = this.control.runner;
        if (!runner) return { ok: false, error: 'no lesson to restart' };
        return this.run({ type: 'lesson.start', lesson: runner.lesson.id, params: runner.params });
      }
      case 'step':
        return this.control.step(() => this.endsQueued);
      case 'play': {
        const result = this.control.play();
        if (result.ok) this.frames.emit();
        return result;
      }
      case 'pause':
        this.control.pause();
        this.frames.emit();
        return { ok: true };
      case 'speed':
        this.control.setSpeed(command.value);
        return { ok: true };
      case 'rate':
        this.frames.setRate(command.hz);
        return { ok: true };
      case 'answer': {
        const runner = this.control.runner;
        if (!runner) return { ok: false, error: 'no lesson is running' };
        runner.answer(command.step, command.choice);
        this.frames.emit();
        return { ok: true };
      }
      case 'questions':
        this.control.setQuestions(command.on);
        this.frames.emit();
        return { ok: true };
      case 'step.back':
        return this.control.stepBack(command.step);
      case 'observe': {
        const { type: _type, ...scope } = command;
        let observation: Observation;
        try {
          observation = Observation.open(scope);
        } catch (err) {
          if (err instanceof ObserveError) return { ok: false, error: err.message };
          throw err;
        }
        await this.control.stop();
        this.endObservation();
        this.observation = observation;
        this.frames.emit();
        return { ok: true, data: { observing: observation.view() } };
      }
      case 'processes.list':
        return listProcessesResult(command.query, this.observation?.machine ?? null);
      case 'processes.match':
        return matchCmdlinesResult(command.text, command.pids);
      case 'observe.stop':
        this.endObservation();
        this.frames.emit();
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
    this.frames.emit();
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

  private enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private onEvent(event: RunnerEvent): void {
    this.frames.addEvent(event);
    /* a 'call' is announced before the op is sent: no descriptor has changed yet */
    if (event.phase !== 'call') this.sampler.invalidate();
    this.frames.emit();
  }

  private sample(): Snapshot {
    const pids = this.control.runner?.pids().filter(processExists) ?? [];
    try {
      return this.observation ? this.observation.sample() : this.sampler.sample({ pids });
    } catch (err) {
      return { takenAt: Date.now(), durationMs: 0, processes: [], objects: [], problems: [{ pid: 0, reason: String(err) }] };
    }
  }

  private frameBody(): FrameBody {
    const body: FrameBody = { ...this.sample(), lesson: this.control.view(), observing: this.observation?.view() ?? null };
    if (this.observation) body.traffic = this.observation.traffic;
    return body;
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

export async function createSession(options: SessionOptions = {}): Promise<Session> {
  return new Session(options);
}

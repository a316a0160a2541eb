/**
 * Runs one lesson on a team of actor processes, one step (one syscall) at a
 * time. A step is done when its syscall returns, or "blocked" as soon as the
 * kernel shows its actor asleep in that very syscall (/proc/PID/syscall and
 * state, see actor/kernel-wait.ts); the next step may then be issued. A step
 * for an actor whose previous call is still blocked waits until it returns.
 *
 * Cause before effect: when a blocked call returns while another step's call
 * is in progress (a write that woke a sleeping read, a close that gave it
 * EOF, an open that released a FIFO open), the in-progress call's return is
 * reported first, whichever reply reached the engine first.
 *
 * Once a step has settled, its question's verdict and the claims measured
 * after it are computed from the kernel (settled-step.ts).
 */
import { readlinkSync, statSync } from 'node:fs';
import { ActorTeam, SpawnChildError, type Actor, type ActorOutput, type CallReply } from '../actor/actor-host';
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';
import { stepsOf, type Lesson, type LessonStep, type LessonVars, type StepFocus, type Verdict } from '../lessons/lesson-types';
import type { ClaimView, LessonParams, LessonView, StepStatus, SyscallEvent } from '../model/frame-types';
import { callText, resultText, shownResult } from './event-text';
import { LessonTempDir } from './lesson-temp-dir';
import { LessonWorkers } from './lesson-workers';
import { settledStep } from './settled-step';

export type RunnerEvent = Omit<SyscallEvent, 'seq' | 'time'>;

/** The syscall a step shows: a step that spawns is the lesson's fork, whatever op carries it. */
function syscallOf(step: LessonStep): string {
  return step.spawns ? 'fork' : (step.syscall ?? step.op);
}

/** "pipe:INODE" or "fifo:INODE" for a process's descriptor, as the snapshot names it; stat and readlink open nothing. */
function objectOfFd(pid: number, fd: number): string | null {
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
function stoppedText(role: string, syscall: string): string {
  return `the ${role} process is stopped (SIGSTOP, state T): its ${syscall} cannot finish until it is continued (SIGCONT)`;
}

export interface RunnerHooks {
  onEvent(event: RunnerEvent): void;
  /** Something the view shows changed without an event (a verdict, a claim). */
  onChange?(): void;
}

export interface RunnerOptions {
  /** Validated parameters (lessons/lesson-params.ts), defaults filled in. */
  params?: LessonParams;
  questionsOn?: boolean;
  /** Answers given before (kept across a step back). */
  answers?: ReadonlyMap<number, string>;
}

export interface StepOutcome {
  /** Index of the step issued, -1 when nothing was left to issue. */
  index: number;
  status: StepStatus | 'finished' | 'stopped';
}

export class LessonRunner {
  readonly steps: LessonStep[];
  readonly params: LessonParams;
  questionsOn: boolean;
  /** Set by a step back: steps [from, to] (1-based) were re-run on these processes. */
  replayed: { from: number; to: number } | null = null;
  private readonly statuses: StepStatus[];
  private nextIndex = 0;
  /** role -> its process, in the order they started */
  private readonly actors = new Map<string, Actor>();
  /** role -> the return of a call that is blocked in the kernel */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** the step whose call is in progress, settled once it returned or blocked */
  private current: Promise<void> | null = null;
  private readonly vars: LessonVars = {};
  private readonly objects: string[] = [];
  private readonly results = new Map<number, string>();
  private readonly answers: Map<number, string>;
  private readonly verdicts = new Map<number, Verdict>();
  private readonly claimVerdicts = new Map<string, NonNullable<ClaimView['verdict']>>();
  private readonly focus = new Map<number, StepFocus[]>();
  private error: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Processes an op started that are not actors (the process pool's workers). */
  private readonly workers: LessonWorkers;

  private constructor(
    readonly lesson: Lesson,
    private readonly team: ActorTeam,
    private readonly hooks: RunnerHooks,
    options: RunnerOptions,
    private readonly tempDir: LessonTempDir | null,
  ) {
    this.params = options.params ?? {};
    this.steps = stepsOf(lesson, this.params);
    this.questionsOn = options.questionsOn ?? true;
    this.answers = new Map(options.answers ?? []);
    this.statuses = this.steps.map(() => 'pending');
    if (tempDir) this.vars.dir = tempDir.path;
    this.workers = new LessonWorkers(tempDir?.path ?? null);
  }

  /** Starts the lesson's first processes; nothing else happens until step(). */
  static async start(lesson: Lesson, hooks: RunnerHooks, options: RunnerOptions = {}): Promise<LessonRunner> {
    const team = await ActorTeam.start();
    let tempDir: LessonTempDir | null = null;
    try {
      tempDir = lesson.tempDir ? LessonTempDir.create() : null;
      const runner = new LessonRunner(lesson, team, hooks, options, tempDir);
      /* the engine starts each of these itself: they share no ancestry but the engine */
      for (const role of [lesson.firstRole, ...(lesson.alsoStarts ?? [])]) await runner.adopt(await team.spawn(role));
      return runner;
    } catch (err) {
      await team.dispose();
      await tempDir?.dispose();
      throw err;
    }
  }

  get finished(): boolean {
    return this.nextIndex >= this.steps.length && this.inFlight.size === 0 && !this.statuses.includes('running');
  }

  get hasMoreSteps(): boolean {
    return this.nextIndex < this.steps.length;
  }

  get next(): number {
    return this.nextIndex;
  }

  /** The next step asks a question that has no answer yet (questions on): play stops before it. */
  get awaitingAnswer(): number | null {
    const step = this.steps[this.nextIndex];
    return this.questionsOn && step?.question && !this.answers.has(this.nextIndex) ? this.nextIndex : null;
  }

  get answersGiven(): ReadonlyMap<number, string> {
    return this.answers;
  }

  /** Records the learner's prediction; throws a message naming the problem. */
  answer(index: number, choice: string): void {
    const question = this.steps[index]?.question;
    if (!question) throw new Error(`step ${index + 1} asks no question`);
    if (index < this.nextIndex) throw new Error(`step ${index + 1} has already run: answer before it runs`);
    const ids = question.choices.map((c) => c.id);
    if (!ids.includes(choice)) throw new Error(`"${choice}" is not a choice of step ${index + 1} (choices: ${ids.join(', ')})`);
    this.answers.set(index, choice);
  }

  /** PIDs of every process the lesson started (some may have exited). */
  pids(): number[] {
    return [...[...this.actors.values()].map((actor) => actor.pid), ...this.workers.all()];
  }

  /** What the lesson's processes write on stdout/stderr (children share their engine-spawned ancestor's pipe). */
  onOutput(listener: (output: ActorOutput) => void): () => void {
    return this.team.onOutput(listener);
  }

  /** The lesson's private directory, when it has one. */
  get dir(): string | null {
    return this.tempDir?.path ?? null;
  }

  /** Pid of the shell that removes the directory if the engine dies (tests check it ends). */
  get dirWatchdogPid(): number | null {
    return this.tempDir?.watchdogPid ?? null;
  }

  /** Issues the next step; settles when it returned or blocked. Calls are serialized. */
  step(): Promise<StepOutcome> {
    const outcome = this.chain.then(() => this.issueNext());
    this.chain = outcome.catch(() => undefined);
    return outcome;
  }

  view(playing: boolean, speed: number): LessonView {
    const { id, title, summary, programs, claims } = this.lesson;
    const busy = new Set([...this.inFlight.keys(), ...this.steps.filter((_, i) => this.statuses[i] === 'running').map((s) => s.role)]);
    return {
      id,
      title,
      summary,
      steps: this.steps.map((s, index) => ({
        index,
        role: s.role,
        code: s.code,
        explain: s.explain,
        status: this.statuses[index]!,
        program: s.program ?? '',
        line: s.line ?? 0,
        result: this.results.get(index) ?? null,
        question:
          s.question && this.questionsOn
            ? {
                prompt: s.question.prompt,
                choices: s.question.choices,
                answer: this.answers.get(index) ?? null,
                verdict: this.verdicts.get(index) ?? null,
              }
            : null,
        ...(this.focus.has(index)
          ? { focus: this.focus.get(index)!.map((f) => ({ ...f, pid: this.actors.get(f.role)?.pid ?? 0 })) }
          : {}),
      })),
      next: this.nextIndex,
      playing,
      speed,
      finished: this.finished,
      roles: { ...Object.fromEntries([...this.actors].map(([role, actor]) => [role, actor.pid])), ...this.workers.roles() },
      idleRoles: [...this.actors].filter(([role, actor]) => actor.alive && !busy.has(role)).map(([role]) => role),
      objects: [...this.objects, ...this.workers.objects()],
      error: this.error,
      params: { ...this.params },
      programs,
      claims: (claims ?? []).map((c) => ({ id: c.id, claim: c.claim, verdict: this.claimVerdicts.get(c.id) ?? null })),
      questionsOn: this.questionsOn,
      replayed: this.replayed,
      ...(this.lesson.race ? { race: this.lesson.race(this.vars, this.params) } : {}),
    };
  }

  /** Kills and reaps every process of the lesson; its kernel objects die with their holders; its directory goes. */
  async dispose(): Promise<void> {
    this.disposed = true;
    /* workers first (their group is killed while it surely exists), reaped once their parent actor is gone */
    await this.workers.dispose(() => this.team.dispose());
    await this.tempDir?.dispose();
  }

  private async adopt(actor: Actor): Promise<void> {
    this.actors.set(actor.role, actor);
    /* prctl(PR_SET_NAME): ps, /proc/PID/comm and the picture all say the role */
    await actor.call('set-name', { name: actor.role.slice(0, 15) });
  }

  private async issueNext(): Promise<StepOutcome> {
    if (this.disposed) return { index: -1, status: 'stopped' };
    const index = this.nextIndex;
    const step = this.steps[index];
    if (!step) return { index: -1, status: 'finished' };
    this.nextIndex += 1;
    /* "re-ran steps 1-N" describes the state a step back left: the next step moves on from it */
    this.replayed = null;
    /* the actor is still asleep in its previous call: this step waits for it to return */
    await this.inFlight.get(step.role);
    if (this.disposed) return { index, status: 'stopped' };
    const actor = this.actors.get(step.role);
    if (!actor?.alive) return this.fail(index, `step ${index + 1}: no live "${step.role}" process`);
    let args: OpArgs;
    try {
      args = step.args?.(this.vars) ?? {};
    } catch (err) {
      return this.fail(index, `step ${index + 1}: ${(err as Error).message}`);
    }
    let settle!: () => void;
    this.current = new Promise<void>((resolve) => (settle = resolve));
    try {
      return await this.run(index, step, actor, args);
    } finally {
      settle();
      this.current = null;
    }
  }

  private async run(index: number, step: LessonStep, actor: Actor, args: OpArgs): Promise<StepOutcome> {
    this.statuses[index] = 'running';
    const syscall = syscallOf(step);
    const object = typeof args.fd === 'number' ? objectOfFd(actor.pid, args.fd) : null;
    this.emit(index, step, actor, 'call', args, object, { text: callText(syscall, args, { spawned: step.spawns }) });
    if (step.spawns) return this.fork(index, step, actor);
    const reply = actor.call(step.op, args);
    let watched: 'blocked' | 'returned' | 'stopped';
    try {
      watched = await actor.watchBlocked(step.op, args, reply);
    } catch (err) {
      /* no answer from /proc (e.g. EMFILE): say so, and still wait for the call before the role's next step */
      this.returnLater(index, step, actor, args, object, reply);
      return this.fail(index, `step ${index + 1}: cannot watch the ${step.role} process: ${(err as Error).message}`);
    }
    if (watched !== 'returned' && !this.disposed) {
      this.statuses[index] = 'blocked';
      if (watched === 'stopped') {
        this.error = stoppedText(step.role, syscall);
      } else {
        this.emit(index, step, actor, 'blocked', args, object, { text: `${callText(syscall, args)} /* asleep in the kernel */` });
      }
      this.returnLater(index, step, actor, args, object, reply);
      await this.settled(index, step, null);
      return { index, status: 'blocked' };
    }
    const r = await reply;
    this.finish(index, step, actor, args, object, r);
    await this.settled(index, step, r);
    return { index, status: this.statuses[index]! };
  }

  /** The call has not returned (asleep, stopped, or unwatchable): it finishes when it does; the role's next step waits for it. */
  private returnLater(index: number, step: LessonStep, actor: Actor, args: OpArgs, object: string | null, reply: Promise<CallReply>): void {
    const mine = this.current;
    const returned = reply.then(async (r) => {
      /* a call in progress when this one returns is what woke it: its return is told first */
      const waking = this.current;
      if (waking && waking !== mine) await waking;
      if (this.error === stoppedText(step.role, syscallOf(step))) this.error = null;
      if (this.statuses[index] === 'blocked') this.finish(index, step, actor, args, object, r);
    });
    this.inFlight.set(step.role, returned);
    void returned.then(() => {
      if (this.inFlight.get(step.role) === returned) this.inFlight.delete(step.role);
      this.hooks.onChange?.();
    });
  }

  private async fork(index: number, step: LessonStep, actor: Actor): Promise<StepOutcome> {
    const spawning = actor.spawnChild(step.spawns!);
    /* a stopped parent cannot spawn: say so at once, and finish the fork once it is continued */
    const watched = await actor.watchBlocked(step.op, {}, spawning).catch(() => 'returned' as const);
    if (watched === 'stopped' && !this.disposed) {
      this.statuses[index] = 'blocked';
      this.error = stoppedText(step.role, syscallOf(step));
      const forked = this.completeFork(index, step, actor, spawning).then(() => undefined);
      this.inFlight.set(step.role, forked);
      void forked.then(() => {
        if (this.inFlight.get(step.role) === forked) this.inFlight.delete(step.role);
      });
      return { index, status: 'blocked' };
    }
    return this.completeFork(index, step, actor, spawning);
  }

  private async completeFork(
    index: number,
    step: LessonStep,
    actor: Actor,
    spawning: Promise<{ child: Actor; reply: CallReply }>,
  ): Promise<StepOutcome> {
    try {
      const { child, reply } = await spawning;
      if (this.disposed) return { index, status: 'stopped' };
      if (this.error === stoppedText(step.role, syscallOf(step))) this.error = null;
      await this.adopt(child);
      this.finish(index, step, actor, {}, null, reply);
      await this.settled(index, step, reply);
    } catch (err) {
      if (this.disposed) return { index, status: 'stopped' };
      return this.fail(index, `fork failed: ${err instanceof SpawnChildError ? err.reason : (err as Error).message}`);
    }
    return { index, status: this.statuses[index]! };
  }

  /** The step returned or blocked: judge its question and measure the claims that wait for it, from the kernel. */
  private async settled(index: number, step: LessonStep, reply: CallReply | null): Promise<void> {
    /* a failed step keeps the error that says why; there is no kernel answer to judge */
    if (this.disposed || this.statuses[index] === 'failed') return;
    const claims = (this.lesson.claims ?? []).filter((c) => step.id !== undefined && c.after === step.id);
    if (!step.question && claims.length === 0 && !step.focus) return;
    const state = settledStep(index, this.statuses[index]!, reply, this.vars, this.params, this.actors);
    try {
      if (step.focus) this.focus.set(index, step.focus(this.vars));
      if (step.question) this.verdicts.set(index, await step.question.judge(state));
      for (const claim of claims) this.claimVerdicts.set(claim.id, { ...(await claim.measure(state)), step: index });
    } catch (err) {
      if (!this.disposed) this.error = `step ${index + 1}: could not read the kernel's answer: ${(err as Error).message}`;
    }
    this.hooks.onChange?.();
  }

  private finish(index: number, step: LessonStep, actor: Actor, args: OpArgs, object: string | null, reply: CallReply): void {
    if (this.disposed) return;
    const syscall = syscallOf(step);
    this.workers.note(reply.data);
    let errno = reply.errno;
    if (reply.result === null) {
      /* exit never returns; any other call that got no reply means the process died in it (e.g. SIGPIPE) */
      const exited = step.op === 'exit';
      this.statuses[index] = exited || step.expectFailure ? 'done' : 'failed';
      if (!exited) this.results.set(index, 'no return: the process died');
      if (!exited && !step.expectFailure) this.error = `the ${step.role} process died during ${syscall}`;
    } else if (reply.result < 0) {
      errno ??= 'EINVAL';
      this.statuses[index] = step.expectFailure ? 'done' : 'failed';
      this.results.set(index, `= -1 ${errno}`);
      if (!step.expectFailure) {
        const note = step.failureNote?.({ ...reply, result: reply.result, errno }, this.vars, this.params) ?? reply.error;
        this.error = `${syscall} failed: ${errno}${note ? ` (${note})` : ''}`;
      }
    } else {
      this.statuses[index] = 'done';
      /* waitpid: how the child ended, as WTERMSIG / WEXITSTATUS would say */
      const { signal, exitCode } = reply.data ?? {};
      const how = typeof signal === 'number' ? ` (killed by signal ${signal})` : typeof exitCode === 'number' ? ` (exit status ${exitCode})` : '';
      const shown = shownResult(reply.data);
      this.results.set(index, `= ${shown ?? reply.result}${how}`);
      step.save?.({ ...reply, result: reply.result }, this.vars);
      const created = reply.data?.object;
      if (typeof created === 'string' && !this.objects.includes(created)) this.objects.push(created);
    }
    const fds = Array.isArray(reply.data?.fds) ? (reply.data.fds as number[]) : undefined;
    const read = typeof reply.data?.bytes === 'string' ? reply.data.bytes : null;
    const call = callText(syscall, args, { fds, spawned: step.spawns });
    this.emit(index, step, actor, 'return', args, object, {
      result: reply.result,
      errno,
      ...(read === null ? {} : { data: read }),
      text: resultText(call, shownResult(reply.data) ?? reply.result, errno),
    });
  }

  private fail(index: number, message: string): StepOutcome {
    this.statuses[index] = 'failed';
    this.error = message;
    return { index, status: 'failed' };
  }

  private emit(
    index: number,
    step: LessonStep,
    actor: Actor,
    phase: SyscallEvent['phase'],
    args: OpArgs,
    object: string | null,
    extra: Partial<RunnerEvent> & { text: string },
  ): void {
    if (this.disposed) return;
    const offered = offeredBytes(args);
    const fd = typeof args.fd === 'number' ? args.fd : null;
    const bytes = typeof args.count === 'number' ? args.count : offered ? offered.length : null;
    this.hooks.onEvent({
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
    });
  }
}

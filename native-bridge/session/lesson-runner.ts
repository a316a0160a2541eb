/**
 * Runs one lesson on a team of actor processes, one step (one syscall) at a
 * time. A step is done when its syscall returns, or "blocked" as soon as the
 * kernel shows its actor asleep in that very syscall (/proc/PID/syscall and
 * state, see actor/kernel-wait.ts); the next step may then be issued. A step
 * for an actor whose previous call is still blocked waits until it returns.
 */
import { ActorTeam, SpawnChildError, type Actor, type CallReply } from '../actor/actor-host';
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';
import type { Lesson, LessonStep, LessonVars } from '../lessons/lesson-types';
import type { LessonView, StepStatus, SyscallEvent } from '../model/frame-types';
import { callText, resultText } from './event-text';

export type RunnerEvent = Omit<SyscallEvent, 'seq' | 'time'>;

/** The syscall a step shows: a step that spawns is the lesson's fork, whatever op carries it. */
function syscallOf(step: LessonStep): string {
  return step.spawns ? 'fork' : step.op;
}

/** The lesson error while a step's process is stopped; cleared once the call returns. */
function stoppedText(role: string, syscall: string): string {
  return `the ${role} process is stopped (SIGSTOP, state T): its ${syscall} cannot finish until it is continued (SIGCONT)`;
}

export interface RunnerHooks {
  onEvent(event: RunnerEvent): void;
}

export interface StepOutcome {
  /** Index of the step issued, -1 when nothing was left to issue. */
  index: number;
  status: StepStatus | 'finished' | 'stopped';
}

export class LessonRunner {
  private readonly statuses: StepStatus[];
  private nextIndex = 0;
  /** role -> its process, in the order they started */
  private readonly actors = new Map<string, Actor>();
  /** role -> the return of a call that is blocked in the kernel */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly vars: LessonVars = {};
  private readonly objects: string[] = [];
  private error: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly lesson: Lesson,
    private readonly team: ActorTeam,
    private readonly hooks: RunnerHooks,
  ) {
    this.statuses = lesson.steps.map(() => 'pending');
  }

  /** Starts the lesson's first process; nothing else happens until step(). */
  static async start(lesson: Lesson, hooks: RunnerHooks): Promise<LessonRunner> {
    const team = await ActorTeam.start();
    try {
      const runner = new LessonRunner(lesson, team, hooks);
      runner.adopt(await team.spawn(lesson.firstRole));
      return runner;
    } catch (err) {
      await team.dispose();
      throw err;
    }
  }

  get finished(): boolean {
    return this.nextIndex >= this.lesson.steps.length && this.inFlight.size === 0 && !this.statuses.includes('running');
  }

  get hasMoreSteps(): boolean {
    return this.nextIndex < this.lesson.steps.length;
  }

  /** PIDs of every process the lesson started (some may have exited). */
  pids(): number[] {
    return [...this.actors.values()].map((actor) => actor.pid);
  }

  /** Issues the next step; settles when it returned or blocked. Calls are serialized. */
  step(): Promise<StepOutcome> {
    const outcome = this.chain.then(() => this.issueNext());
    this.chain = outcome.catch(() => undefined);
    return outcome;
  }

  view(playing: boolean, speed: number): LessonView {
    const { id, title, summary, steps } = this.lesson;
    return {
      id,
      title,
      summary,
      steps: steps.map((s, index) => ({
        index,
        role: s.role,
        code: s.code,
        explain: s.explain,
        status: this.statuses[index]!,
        program: s.program ?? '',
        line: s.line ?? 0,
        result: null,
        question: null,
      })),
      next: this.nextIndex,
      playing,
      speed,
      finished: this.finished,
      roles: Object.fromEntries([...this.actors].map(([role, actor]) => [role, actor.pid])),
      objects: [...this.objects],
      error: this.error,
      params: {},
      idleRoles: [],
      programs: this.lesson.programs,
      claims: [],
      questionsOn: true,
      replayed: null,
    };
  }

  /** Kills and reaps every process of the lesson; its kernel objects die with their holders. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.team.dispose();
  }

  private adopt(actor: Actor): void {
    this.actors.set(actor.role, actor);
  }

  private async issueNext(): Promise<StepOutcome> {
    if (this.disposed) return { index: -1, status: 'stopped' };
    const index = this.nextIndex;
    const step = this.lesson.steps[index];
    if (!step) return { index: -1, status: 'finished' };
    this.nextIndex += 1;
    /* the actor is still asleep in its previous call: this step waits for it to return */
    await this.inFlight.get(step.role);
    if (this.disposed) return { index, status: 'stopped' };
    const actor = this.actors.get(step.role);
    if (!actor?.alive) return this.fail(index, `step ${index}: no live "${step.role}" process`);
    let args: OpArgs;
    try {
      args = step.args?.(this.vars) ?? {};
    } catch (err) {
      return this.fail(index, `step ${index}: ${(err as Error).message}`);
    }
    this.statuses[index] = 'running';
    const syscall = syscallOf(step);
    this.emit(index, step, actor, 'call', args, { text: callText(syscall, args, { spawned: step.spawns }) });
    if (step.spawns) return this.fork(index, step, actor);
    const reply = actor.call(step.op, args);
    let watched: 'blocked' | 'returned' | 'stopped';
    try {
      watched = await actor.watchBlocked(step.op, args, reply);
    } catch (err) {
      /* no answer from /proc (e.g. EMFILE): say so, and still wait for the call before the role's next step */
      this.returnLater(index, step, actor, args, reply);
      return this.fail(index, `step ${index}: cannot watch the ${step.role} process: ${(err as Error).message}`);
    }
    if (watched !== 'returned' && !this.disposed) {
      this.statuses[index] = 'blocked';
      if (watched === 'stopped') {
        this.error = stoppedText(step.role, syscall);
      } else {
        this.emit(index, step, actor, 'blocked', args, { text: `${callText(syscall, args)} /* asleep in the kernel */` });
      }
      this.returnLater(index, step, actor, args, reply);
      return { index, status: 'blocked' };
    }
    this.finish(index, step, actor, args, await reply);
    return { index, status: this.statuses[index]! };
  }

  /** The call has not returned (asleep, stopped, or unwatchable): it finishes when it does; the role's next step waits for it. */
  private returnLater(index: number, step: LessonStep, actor: Actor, args: OpArgs, reply: Promise<CallReply>): void {
    const returned = reply.then((r) => {
      if (this.error === stoppedText(step.role, syscallOf(step))) this.error = null;
      if (this.statuses[index] === 'blocked') this.finish(index, step, actor, args, r);
    });
    this.inFlight.set(step.role, returned);
    void returned.then(() => {
      if (this.inFlight.get(step.role) === returned) this.inFlight.delete(step.role);
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
      this.adopt(child);
      this.finish(index, step, actor, {}, reply);
    } catch (err) {
      if (this.disposed) return { index, status: 'stopped' };
      return this.fail(index, `fork failed: ${err instanceof SpawnChildError ? err.reason : (err as Error).message}`);
    }
    return { index, status: this.statuses[index]! };
  }

  private finish(index: number, step: LessonStep, actor: Actor, args: OpArgs, reply: CallReply): void {
    if (this.disposed) return;
    const syscall = syscallOf(step);
    let errno = reply.errno;
    if (reply.result === null) {
      /* exit never returns; any other call that got no reply means the process died in it (e.g. SIGPIPE) */
      const exited = step.op === 'exit';
      this.statuses[index] = exited ? 'done' : 'failed';
      if (!exited) this.error = `the ${step.role} process died during ${syscall}`;
    } else if (reply.result < 0) {
      errno ??= 'EINVAL';
      this.statuses[index] = 'failed';
      this.error = `${syscall} failed: ${errno}${reply.error ? ` (${reply.error})` : ''}`;
    } else {
      this.statuses[index] = 'done';
      step.save?.({ ...reply, result: reply.result }, this.vars);
      const object = reply.data?.object;
      if (typeof object === 'string' && !this.objects.includes(object)) this.objects.push(object);
    }
    const fds = Array.isArray(reply.data?.fds) ? (reply.data.fds as number[]) : undefined;
    const read = typeof reply.data?.bytes === 'string' ? reply.data.bytes : null;
    const call = callText(syscall, args, { fds, spawned: step.spawns });
    this.emit(index, step, actor, 'return', args, {
      result: reply.result,
      errno,
      ...(read === null ? {} : { data: read }),
      text: resultText(call, reply.result, errno),
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
      ...extra,
    });
  }
}

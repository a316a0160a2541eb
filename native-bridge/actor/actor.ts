/**
 * One actor process as the engine sees it: its own control channel, calls
 * that settle when the syscall returns, and what the kernel says it is doing.
 * Created by ActorTeam (actor-host.ts).
 */
import type { Socket } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import type { Blocked } from '../model/snapshot-types';
import { native } from '../libc/libc';
import { takeSnapshot } from '../probe';
import { isActorReply, type ActorReply, type OpArgs } from './actor-protocol';
import type { ActorTeam } from './actor-host';
import { isAsleepIn, isStopped, readKernelWait, type KernelWait } from './kernel-wait';
import { findOp } from './ops/registry';

/** A reply, or `gone` when the actor went away before replying (exit, a signal, dispose). */
export type CallReply = ActorReply | (Omit<ActorReply, 'result'> & { result: null; gone: true });

/** Where an op sleeps: its syscall numbers and, when it has one, the descriptor argument it sleeps on. */
interface SleepTarget {
  syscalls: number[];
  fd: number | undefined;
}

/** null for an op that never sleeps in the kernel (or is unknown). */
function sleepTarget(op: string, args: OpArgs): SleepTarget | null {
  const spec = findOp(op);
  if (!spec || spec.sleepsIn.length === 0) return null;
  const fdValue = spec.fdArg ? args[spec.fdArg] : undefined;
  return { syscalls: spec.sleepsIn, fd: typeof fdValue === 'number' ? fdValue : undefined };
}

export class Actor {
  private nextId = 1;
  private readonly waiting = new Map<number, { op: string; resolve: (reply: CallReply) => void }>();
  private buffered = '';
  private closed = false;
  /** Settles when the control connection closes (the process exited or was killed). */
  readonly gone: Promise<void>;
  private markGone!: () => void;

  constructor(
    readonly team: ActorTeam,
    readonly role: string,
    readonly pid: number,
    private readonly socket: Socket,
    /** Set for actors the engine spawned itself (child_process); null for children of actors. */
    readonly process: ChildProcess | null,
    /** The engine's end of this actor's descriptor inbox (control-channel.ts). */
    readonly inbox: number,
    /** What arrived on the channel after the hello line. */
    leftover = '',
  ) {
    this.gone = new Promise((resolve) => (this.markGone = resolve));
    this.buffered = leftover;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Runs one op in the actor; settles when its syscall returns (or the actor dies). */
  call(op: string, args: OpArgs = {}): Promise<CallReply> {
    if (this.closed) return Promise.resolve({ id: 0, result: null, errno: null, gone: true });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { op, resolve });
      this.socket.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  /** The lesson's "fork": this actor posix_spawns a child actor; settles once the child has connected. */
  async spawnChild(role: string, fds?: number[], outlivesParent = false): Promise<{ child: Actor; reply: CallReply }> {
    return this.team.spawnChildOf(this, role, fds, outlivesParent);
  }

  /** What the kernel says this actor's main thread is doing (null once gone from /proc). */
  kernelWait(): KernelWait | null {
    return readKernelWait(this.pid);
  }

  /**
   * What the probe says this actor waits on (op, syscall, fd, wchan and the
   * object id, e.g. "pipe:4614"); null when it is not asleep in a syscall or
   * is gone. Between commands an actor shows as asleep in epoll_pwait (op
   * "poll"): that is its "paused between syscalls".
   */
  probeBlocked(): Blocked | null {
    const snapshot = takeSnapshot({ pids: [this.pid] }, { completeHolders: false, peekBytes: 0, readMaps: false, readSignals: false });
    return snapshot.processes.find((p) => p.pid === this.pid)?.blocked ?? null;
  }

  /**
   * True when the kernel shows this actor asleep inside `op`'s syscall
   * (e.g. read: syscall 0 on args.fd). Reads /proc, never guesses from time.
   */
  blockedIn(op: string, args: OpArgs = {}): boolean {
    const target = sleepTarget(op, args);
    return target !== null && this.asleepIn(target);
  }

  /**
   * Settles with "blocked" as soon as the kernel shows the actor asleep in the
   * op (polled from /proc every `everyMs`, then confirmed by the probe),
   * with "stopped" when the kernel shows it stopped (SIGSTOP, a tracer: state
   * T or t), as its op cannot finish until it is continued, or with
   * "returned" when `reply` settles first. Rejects with a ProcReadError when
   * /proc cannot be read at all (no descriptor free): no answer, not "gone".
   */
  async watchBlocked(op: string, args: OpArgs, reply: Promise<unknown>, everyMs = 5): Promise<'blocked' | 'returned' | 'stopped'> {
    let settled = false;
    const done = (): void => void (settled = true);
    reply.then(done, done);
    /* looked up once: the poll below runs every few ms */
    const target = sleepTarget(op, args);
    for (;;) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (settled) return 'returned';
      if (!this.alive) return 'returned';
      const wait = this.kernelWait();
      if (wait && isStopped(wait)) return 'stopped';
      /* cheap /proc poll first, then the probe's own verdict on the very same syscall */
      if (target && isAsleepIn(wait, target.syscalls, target.fd) && this.probeConfirms(target)) return 'blocked';
    }
  }

  private asleepIn(target: SleepTarget): boolean {
    return isAsleepIn(this.kernelWait(), target.syscalls, target.fd);
  }

  private probeConfirms(target: SleepTarget): boolean {
    const blocked = this.probeBlocked();
    if (!blocked || !target.syscalls.includes(blocked.syscallNr)) return false;
    return target.fd === undefined || blocked.fd === null || blocked.fd === target.fd;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (!isActorReply(value)) continue;
      const waiter = this.waiting.get(value.id);
      if (!waiter) continue;
      this.waiting.delete(value.id);
      waiter.resolve(value);
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, waiter] of this.waiting) waiter.resolve({ id, result: null, errno: null, gone: true });
    this.waiting.clear();
    this.socket.destroy();
    native.close(this.inbox);
    this.markGone();
    this.team.reapOrphans();
  }

  /** Used by the team on dispose. */
  disconnect(): void {
    this.close();
  }
}

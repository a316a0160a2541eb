/**
 * The engine's side of the actors: a control channel per actor (socketpairs
 * the engine makes before the actor exists: control-channel.ts), and a small
 * API for tests and sessions.
 *
 *   const team = await ActorTeam.start();
 *   const parent = await team.spawn('parent');
 *   const { result, data } = await parent.call('pipe2', {});
 *   const { child } = await parent.spawnChild('child');
 *   ...
 *   await team.dispose(); // kills and reaps every actor, also their children
 *
 * `call()` settles when the syscall returns; a blocking call simply stays
 * pending. `blockedIn()` / `probeBlocked()` (actor.ts) ask the kernel whether
 * the actor sleeps in a syscall, and on what.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { native } from '../libc/libc';
import { resolveActorCommand } from './actor-command';
import {
  ENV_COMMAND,
  ENV_DIE_WITH_PARENT,
  ENV_PARENT_PID,
  ENV_ROLE,
  isActorHello,
  type ActorCommand,
  type OpArgs,
} from './actor-protocol';
import { Actor, type CallReply } from './actor';
import { ControlChannel, abandonChannel } from './control-channel';
import { sendFds } from './fd-passing';
import { RLIMIT_NPROC, errnoWithLimit, softLimit } from '../libc/process-limits';
import { becomeSubreaper, killAndReap, killAndReapSync, stillOurs } from './reaper';
import { waitpidNoHang } from './reaper-libc';

/* a backstop only: an actor that dies before its hello closes its channel, which fails the wait at once */
const HELLO_TIMEOUT_MS = 20_000;

export interface ActorOutput {
  /** Role of the engine-spawned actor whose stdout/stderr pipe carried it (its children share it). */
  role: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A child actor that could not be spawned; `reason` names why ("EAGAIN, RLIMIT_NPROC is 5"). */
export class SpawnChildError extends Error {
  override name = 'SpawnChildError';
  constructor(readonly reason: string) {
    super(`spawn-child failed: ${reason}`);
  }
}

/**
 * What a resource limit explains in an actor's last words on stderr, or "".
 * With no words (Node aborts silently when it cannot start a thread, or hangs
 * before its hello), a finite RLIMIT_NPROC outside root is named as a fact:
 * it counts every thread of the user, and a Node process has about ten.
 */
function limitHint(stderr: string, pid: number): string {
  if (/EAGAIN|Resource temporarily unavailable/.test(stderr)) return ` (${errnoWithLimit('EAGAIN', pid)})`;
  if (/EMFILE|Too many open files/.test(stderr)) return ` (${errnoWithLimit('EMFILE', pid)})`;
  const nproc = process.getuid?.() === 0 ? null : softLimit(RLIMIT_NPROC, pid);
  if (nproc !== null && nproc !== 'unlimited') return ` (RLIMIT_NPROC is ${nproc}, counting every thread of this user)`;
  return '';
}

export class ActorTeam {
  private readonly members: Actor[] = [];
  /** Control sockets of actors not ready yet (no hello). */
  private readonly unready = new Set<Socket>();
  /** Every pid an actor spawned, connected or not, parents before children. */
  private readonly spawnedPids: number[] = [];
  private readonly direct = new Map<number, ChildProcess>();
  private readonly outputListeners = new Set<(output: ActorOutput) => void>();
  /** The last of what any actor wrote on stderr (children share their engine-spawned ancestor's pipe). */
  private stderrTail = '';
  private disposed = false;
  private readonly onExit = (): void => this.killSync();

  private constructor(private readonly command: ActorCommand) {
    process.on('exit', this.onExit);
  }

  static async start(): Promise<ActorTeam> {
    /* a descriptor the engine inherited without FD_CLOEXEC would reach every actor as a false holder */
    markInheritedCloexec();
    becomeSubreaper();
    return new ActorTeam(await resolveActorCommand());
  }

  /** Every pid started for this team (engine-spawned actors and their children). */
  pids(): number[] {
    return [...this.spawnedPids];
  }

  onOutput(listener: (output: ActorOutput) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Starts an actor process from the engine (its parent is the engine). */
  spawn(role: string): Promise<Actor> {
    if (this.disposed) return Promise.reject(new Error('actor team is disposed'));
    let channel: ControlChannel;
    try {
      channel = ControlChannel.open();
    } catch (err) {
      return Promise.reject(new Error(`could not start the ${role} process: ${(err as Error).message}`));
    }
    const { file, args, cwd, env } = this.command;
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd,
        /* the actor's control ends land at CONTROL_FD (3) and INBOX_FD (4) */
        stdio: ['ignore', 'pipe', 'pipe', channel.actorControl, channel.actorInbox],
        env: {
          ...process.env,
          ...env,
          [ENV_ROLE]: role,
          [ENV_COMMAND]: JSON.stringify(this.command),
          [ENV_DIE_WITH_PARENT]: '1',
          [ENV_PARENT_PID]: String(process.pid),
        },
      });
    } catch (err) {
      abandonChannel(channel);
      return Promise.reject(new Error(`could not start the ${role} process: ${(err as Error).message}`));
    }
    channel.closeActorEnds();
    if (child.pid !== undefined) {
      this.spawnedPids.push(child.pid);
      this.direct.set(child.pid, child);
    }
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.emitOutput({ role, stream: 'stdout', text }));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-2000);
      this.emitOutput({ role, stream: 'stderr', text });
    });
    /* spawn itself failed (EAGAIN under RLIMIT_NPROC, ENOENT ...): Node reports it as an 'error' event */
    const failed = new Promise<never>((_, reject) =>
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(`could not start the ${role} process: spawn failed: ${errnoWithLimit(err.code ?? String(err))}`));
      }),
    );
    const exited = (): Promise<Error> =>
      new Promise((resolve) => {
        const report = (): void => {
          const how = child.signalCode ?? child.exitCode;
          const said = stderr.trim() === '' ? '' : `: ${stderr.trim()}`;
          resolve(new Error(`the ${role} process exited before it was ready (${String(how)})${said}${limitHint(stderr, 0)}`));
        };
        if (child.exitCode !== null || child.signalCode !== null) report();
        else child.once('close', report);
      });
    const ready = this.awaitHello(channel, role, child, exited);
    failed.catch(() => undefined);
    return Promise.race([ready, failed]);
  }

  /**
   * Used by Actor.spawnChild: `parent` posix_spawns a child actor, which
   * writes its hello on the channel the engine made for it; settles once it
   * has. Unless `outlivesParent`, the child dies with its parent
   * (PR_SET_PDEATHSIG), so a killed engine takes the whole family with it:
   * the engine's actors die with the engine, their children with them, even
   * when asleep in a syscall that would never return.
   */
  async spawnChildOf(parent: Actor, role: string, fds?: number[], outlivesParent = false): Promise<{ child: Actor; reply: CallReply }> {
    if (this.disposed) throw new Error('actor team is disposed');
    let channel: ControlChannel;
    try {
      channel = ControlChannel.open();
    } catch (err) {
      throw new SpawnChildError((err as Error).message);
    }
    try {
      sendFds(parent.inbox, [channel.actorControl, channel.actorInbox]);
    } catch (err) {
      abandonChannel(channel);
      throw new SpawnChildError((err as Error).message);
    }
    channel.closeActorEnds();
    const ready = this.awaitHello(channel, role, null, () =>
      Promise.resolve(new Error(`the ${role} process exited before it was ready${limitHint(this.stderrTail, parent.pid)}`)),
    );
    ready.catch(() => undefined);
    const args: OpArgs = { role, outlivesParent };
    if (fds) args.fds = fds;
    const reply = await parent.call('spawn-child', args);
    if (reply.result === null || reply.result < 0) {
      /* the parent closed the child's ends (or died): the wait for a hello fails on its own */
      const reason =
        reply.result === null
          ? `the ${parent.role} process died before it could spawn ${role}`
          : reply.error ?? (reply.errno ? errnoWithLimit(reply.errno, parent.pid) : 'unknown error');
      throw new SpawnChildError(reason);
    }
    this.notePid(reply.result);
    try {
      return { child: await ready, reply };
    } catch (err) {
      throw new SpawnChildError((err as Error).message);
    }
  }

  /** Kills and reaps every actor and child actor, closes every control channel. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    process.off('exit', this.onExit);
    for (const socket of this.unready) socket.destroy();
    const exits = [...this.direct.values()].map((child) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())),
    );
    for (const child of this.direct.values()) child.kill('SIGKILL');
    const others = stillOurs(this.spawnedPids).filter((pid) => !this.direct.has(pid));
    /* libuv reaps the children it spawned; we reap the rest (reparented to us: subreaper) */
    await Promise.all([...exits, killAndReap(others)]);
    for (const actor of this.members) actor.disconnect();
  }

  /**
   * Actor-spawned processes that outlived their parent actor are reparented
   * to the engine (subreaper): reap those that have exited, as init would.
   * One whose parent is still alive is left for that parent's own waitpid.
   * Called whenever an actor goes away.
   */
  reapOrphans(): void {
    const deadline = Date.now() + 2000;
    const attempt = (): void => {
      let running = false;
      for (const pid of this.spawnedPids) {
        /* waitpid answers for our own children only (ECHILD otherwise), and needs no descriptor, unlike /proc */
        if (this.direct.has(pid)) continue;
        if (waitpidNoHang(pid) === 0) running = true;
      }
      if (running && !this.disposed && Date.now() < deadline) setTimeout(attempt, 20);
    };
    attempt();
  }

  private notePid(pid: number): void {
    if (!this.spawnedPids.includes(pid)) this.spawnedPids.push(pid);
  }

  private killSync(): void {
    killAndReapSync(this.spawnedPids);
  }

  private emitOutput(output: ActorOutput): void {
    if (output.stream === 'stderr') this.stderrTail = (this.stderrTail + output.text).slice(-2000);
    for (const listener of this.outputListeners) listener(output);
  }

  /**
   * The actor's first line on its channel is its hello (its pid); the actor
   * is then ready. `exitedBeforeReady` says why when the channel closes first.
   */
  private awaitHello(
    channel: ControlChannel,
    role: string,
    child: ChildProcess | null,
    exitedBeforeReady: () => Promise<Error>,
  ): Promise<Actor> {
    const socket = new Socket({ fd: channel.engineControl, readable: true, writable: true });
    this.unready.add(socket);
    return new Promise<Actor>((resolve, reject) => {
      let text = '';
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        this.unready.delete(socket);
        return true;
      };
      const fail = (err: Error): void => {
        if (!settle()) return;
        socket.destroy();
        native.close(channel.engineInbox);
        reject(this.disposed ? new Error('actor team disposed') : err);
      };
      const timer = setTimeout(
        () => fail(new Error(`the ${role} process was not ready within ${HELLO_TIMEOUT_MS} ms${limitHint(this.stderrTail, 0)}`)),
        HELLO_TIMEOUT_MS,
      );
      /* a wait nobody may still care about (a spawn that failed outright) must not keep the engine alive */
      timer.unref();
      const onData = (chunk: Buffer): void => {
        text += chunk.toString('utf8');
        const newline = text.indexOf('\n');
        if (newline < 0) return;
        let hello: unknown = null;
        try {
          hello = JSON.parse(text.slice(0, newline));
        } catch {
          /* not a hello: handled below */
        }
        if (!isActorHello(hello)) return fail(new Error(`the ${role} process sent no hello`));
        if (!settle()) return;
        this.notePid(hello.pid);
        const actor = new Actor(this, role, hello.pid, socket, child, channel.engineInbox, text.slice(newline + 1));
        this.members.push(actor);
        resolve(actor);
      };
      const onClose = (): void => void exitedBeforeReady().then(fail);
      socket.on('data', onData);
      socket.once('close', onClose);
      /* 'close' follows an error */
      socket.on('error', () => undefined);
    });
  }
}

export { Actor, type CallReply } from './actor';

/**
 * The engine's side of the actors: a control server on an abstract Unix
 * socket, and a small API for tests and sessions.
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
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { actorCommand } from './actor-command';
import {
  ENV_COMMAND,
  ENV_CONTROL,
  ENV_DIE_WITH_PARENT,
  ENV_ROLE,
  ENV_TOKEN,
  isActorHello,
  type ActorHello,
  type OpArgs,
} from './actor-protocol';
import { Actor, type CallReply } from './actor';
import { becomeSubreaper, killAndReap, killAndReapSync, parentOf, stillOurs } from './reaper';
import { waitpidNoHang } from './reaper-libc';

const HELLO_TIMEOUT_MS = 20_000;

export interface ActorOutput {
  /** Role of the engine-spawned actor whose stdout/stderr pipe carried it (its children share it). */
  role: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

interface PendingHello {
  role: string;
  resolve: (actor: Actor) => void;
  reject: (err: Error) => void;
  process: ChildProcess | null;
}

export class ActorTeam {
  private readonly pendingHellos = new Map<string, PendingHello>();
  private readonly members: Actor[] = [];
  /** Every pid an actor spawned, connected or not, parents before children. */
  private readonly spawnedPids: number[] = [];
  private readonly direct = new Map<number, ChildProcess>();
  private readonly outputListeners = new Set<(output: ActorOutput) => void>();
  private disposed = false;
  private readonly onExit = (): void => this.killSync();

  private constructor(
    private readonly server: Server,
    /** Abstract socket name, without the leading NUL. */
    readonly controlName: string,
  ) {
    server.on('connection', (socket) => this.accept(socket));
    process.on('exit', this.onExit);
  }

  static async start(): Promise<ActorTeam> {
    /* a descriptor the engine inherited without FD_CLOEXEC would reach every actor as a false holder */
    markInheritedCloexec();
    becomeSubreaper();
    const controlName = `ipcscope-${process.pid}-${randomBytes(6).toString('hex')}`;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: `\0${controlName}` }, () => resolve());
    });
    return new ActorTeam(server, controlName);
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
    const command = actorCommand();
    const token = randomBytes(12).toString('hex');
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...command.env,
        [ENV_CONTROL]: this.controlName,
        [ENV_ROLE]: role,
        [ENV_TOKEN]: token,
        [ENV_COMMAND]: JSON.stringify(command),
        [ENV_DIE_WITH_PARENT]: '1',
      },
    });
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
    const connected = this.expectHello(token, role, child);
    child.once('exit', (code, signal) => {
      const pending = this.pendingHellos.get(token);
      if (pending) {
        this.pendingHellos.delete(token);
        pending.reject(new Error(`actor ${role} exited before connecting (${signal ?? code}): ${stderr.trim()}`));
      }
    });
    child.once('error', (err) => this.pendingHellos.get(token)?.reject(err));
    return connected;
  }

  /**
   * Used by Actor.spawnChild: `parent` posix_spawns a child actor, which
   * connects here; settles once it has. Unless `outlivesParent`, the child dies
   * with its parent (PR_SET_PDEATHSIG), so a killed engine takes the whole
   * family with it: the engine's actors die with the engine, their children
   * with them, even when asleep in a syscall that would never return.
   */
  async spawnChildOf(parent: Actor, role: string, fds?: number[], outlivesParent = false): Promise<{ child: Actor; reply: CallReply }> {
    if (this.disposed) throw new Error('actor team is disposed');
    const token = randomBytes(12).toString('hex');
    const connected = this.expectHello(token, role, null);
    const args: OpArgs = { role, token, outlivesParent };
    if (fds) args.fds = fds;
    const reply = await parent.call('spawn-child', args);
    if (reply.result === null || reply.result < 0) {
      this.pendingHellos.delete(token);
      throw new Error(`spawn-child failed: ${reply.errno ?? ('error' in reply ? reply.error : 'actor gone')}`);
    }
    this.spawnedPids.push(reply.result);
    const child = await connected;
    return { child, reply };
  }

  /** Kills and reaps every actor and child actor, closes the control server. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    process.off('exit', this.onExit);
    for (const pending of this.pendingHellos.values()) pending.reject(new Error('actor team disposed'));
    this.pendingHellos.clear();
    const exits = [...this.direct.values()].map((child) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())),
    );
    for (const child of this.direct.values()) child.kill('SIGKILL');
    const others = stillOurs(this.spawnedPids).filter((pid) => !this.direct.has(pid));
    /* libuv reaps the children it spawned; we reap the rest (reparented to us: subreaper) */
    await Promise.all([...exits, killAndReap(others)]);
    for (const actor of this.members) actor.disconnect();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
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
        if (this.direct.has(pid) || parentOf(pid) !== process.pid) continue;
        if (waitpidNoHang(pid) === 0) running = true;
      }
      if (running && !this.disposed && Date.now() < deadline) setTimeout(attempt, 20);
    };
    attempt();
  }

  private killSync(): void {
    killAndReapSync(this.spawnedPids);
  }

  private emitOutput(output: ActorOutput): void {
    for (const listener of this.outputListeners) listener(output);
  }

  private expectHello(token: string, role: string, child: ChildProcess | null): Promise<Actor> {
    return new Promise<Actor>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pendingHellos.delete(token)) reject(new Error(`actor ${role} did not connect within ${HELLO_TIMEOUT_MS} ms`));
      }, HELLO_TIMEOUT_MS);
      const done = <T>(fn: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        fn(v);
      };
      this.pendingHellos.set(token, { role, process: child, resolve: done(resolve), reject: done(reject) });
    });
  }

  private accept(socket: Socket): void {
    let first = '';
    const onData = (chunk: Buffer): void => {
      first += chunk.toString('utf8');
      const newline = first.indexOf('\n');
      if (newline < 0) {
        if (first.length > 4096) socket.destroy();
        return;
      }
      socket.off('data', onData);
      let hello: ActorHello | null;
      try {
        const value: unknown = JSON.parse(first.slice(0, newline));
        hello = isActorHello(value) ? value : null;
      } catch {
        hello = null;
      }
      const pending = hello ? this.pendingHellos.get(hello.token) : undefined;
      if (!hello || !pending || this.disposed) {
        socket.destroy();
        return;
      }
      this.pendingHellos.delete(hello.token);
      pending.resolve(this.adopt(hello, pending, socket));
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  }

  private adopt(hello: ActorHello, pending: PendingHello, socket: Socket): Actor {
    const actor = new Actor(this, pending.role, hello.pid, socket, pending.process);
    this.members.push(actor);
    return actor;
  }
}

export { Actor, type CallReply } from './actor';

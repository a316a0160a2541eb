/**
 * Test support for accuracy.test.ts: builds one real, mixed IPC state out of
 * actors and small native programs, and takes all of it down again.
 *
 *   sh -c 'cat | cat | cat'     a 3-stage pipeline fed by a pipe this process writes to;
 *                               every cat sleeps in read (anon_pipe_read), sh in wait4
 *   cat FIFO / sleep > FIFO     a FIFO with a reader (asleep in read) and a writer
 *   pair-a, pair-b (its child)  a Unix stream socketpair split between them, bytes queued
 *                               at pair-b's end; both attach one System V segment (nattch 2)
 *   server                      a Unix listener (backlog 4) and a message queue with 3 messages
 *   client                      2 connections pending in the listener, then asleep in
 *                               semop on a semaphore set it created (value 0, op -1)
 *
 * Everything is created with CLOEXEC; children get descriptors only through
 * the spawn stdio array or spawn-child's file actions.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorTeam, type Actor, type CallReply } from '../../actor/actor-host';
import { readKernelWait, type KernelWait } from '../../actor/kernel-wait';
import { killAndReap, parentOf } from '../../actor/reaper';
import { closeFd, makePipe } from '../../libc/libc';
import { IPC_RMID, sysv } from '../../libc/sysv';

export const PAIR_TEXT = 'queued in the socketpair';
export const MESSAGES = [
  { type: 1, text: 'first' },
  { type: 2, text: 'second!' },
  { type: 7, text: 'third message' },
];
export const SHM_TEXT = 'written by pair-a';
export const LISTEN_BACKLOG = 4;

/** Polls `check` every 10 ms until it returns a value. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function asleepIn(pid: number, wchan: string): KernelWait | null {
  const wait = readKernelWait(pid);
  return wait && wait.state === 'S' && wait.wchan === wchan ? wait : null;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function ok(reply: CallReply, what: string): number {
  if (reply.result === null || reply.result < 0) throw new Error(`${what} failed: ${reply.errno ?? ('error' in reply ? reply.error : 'actor gone')}`);
  return reply.result;
}

export class MixedState {
  team: ActorTeam | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'ipcscope-accuracy-'));
  readonly fifoPath = join(this.dir, 'fifo');
  readonly listenerPath = join(this.dir, 'listener.sock');
  private readonly natives: ChildProcess[] = [];

  /** The write end of the pipe feeding the pipeline, held by this (test) process. */
  pipelineInput = -1;
  sh = 0;
  cats: number[] = [];
  fifoReader = 0;
  fifoWriter = 0;

  pairA!: Actor;
  pairB!: Actor;
  /** pair-a's end (sends) and pair-b's end (bytes queued there). */
  pairFds: [number, number] = [-1, -1];
  shmid = -1;

  server!: Actor;
  listenerFd = -1;
  msqid = -1;

  client!: Actor;
  clientFds: number[] = [];
  semid = -1;
  semopReply: Promise<CallReply> | null = null;

  /** Every process of the state. */
  get pids(): number[] {
    return [this.sh, ...this.cats, this.fifoReader, this.fifoWriter, this.pairA.pid, this.pairB.pid, this.server.pid, this.client.pid];
  }

  async build(): Promise<void> {
    /* first: marks this process's inherited descriptors close-on-exec, so no child shows them as false holders */
    this.team = await ActorTeam.start();
    await this.buildPipeline();
    await this.buildFifo();
    await this.buildSocketpairAndShm(this.team);
    await this.buildListenerAndQueue(this.team);
    await this.buildClientsAndSemaphore(this.team);
  }

  private spawnNative(file: string, args: string[], stdio: Array<number | 'ignore'>): number {
    const child = spawn(file, args, { stdio, cwd: this.dir });
    this.natives.push(child);
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    return child.pid;
  }

  private async buildPipeline(): Promise<void> {
    const [readEnd, writeEnd] = makePipe();
    this.pipelineInput = writeEnd;
    try {
      this.sh = this.spawnNative('sh', ['-c', 'cat | cat | cat'], [readEnd, 'ignore', 'ignore']);
    } finally {
      closeFd(readEnd);
    }
    this.cats = await waitFor('three cats asleep in anon_pipe_read', () => {
      const kids = childrenOf(this.sh).sort((a, b) => a - b);
      return kids.length === 3 && kids.every((pid) => commOf(pid) === 'cat' && asleepIn(pid, 'anon_pipe_read')) ? kids : null;
    });
    await waitFor('sh asleep in wait4', () => readKernelWait(this.sh)?.syscallNr === 61);
  }

  private async buildFifo(): Promise<void> {
    execFileSync('mkfifo', ['-m', '0600', this.fifoPath]);
    this.fifoReader = this.spawnNative('cat', [this.fifoPath], ['ignore', 'ignore', 'ignore']);
    await waitFor('the FIFO reader waiting for a writer', () => asleepIn(this.fifoReader, 'wait_for_partner'));
    this.fifoWriter = this.spawnNative('sh', ['-c', 'exec sleep 600 > "$1"', 'sh', this.fifoPath], ['ignore', 'ignore', 'ignore']);
    await waitFor('the FIFO reader asleep in read', () => asleepIn(this.fifoReader, 'anon_pipe_read'));
    await waitFor('the FIFO writer asleep in sleep', () => commOf(this.fifoWriter) === 'sleep' && asleepIn(this.fifoWriter, 'hrtimer_nanosleep'));
  }

  private async buildSocketpairAndShm(team: ActorTeam): Promise<void> {
    this.pairA = await team.spawn('pair-a');
    const pair = await this.pairA.call('socketpair', { type: 'stream' });
    ok(pair, 'socketpair');
    const [mine, theirs] = pair.data?.fds as [number, number];
    this.pairFds = [mine, theirs];
    this.pairB = (await this.pairA.spawnChild('pair-b', [theirs])).child;
    ok(await this.pairA.call('close', { fd: theirs }), 'close');
    ok(await this.pairA.call('send', { fd: mine, text: PAIR_TEXT }), 'send');

    this.shmid = ok(await this.pairA.call('shmget', { size: 4096 }), 'shmget');
    const at = await this.pairA.call('shmat', { shmid: this.shmid });
    ok(at, 'shmat');
    ok(await this.pairA.call('write-memory', { address: at.data?.address, text: SHM_TEXT }), 'write-memory');
    ok(await this.pairB.call('shmat', { shmid: this.shmid, readonly: true }), 'shmat');
  }

  private async buildListenerAndQueue(team: ActorTeam): Promise<void> {
    this.server = await team.spawn('server');
    this.listenerFd = ok(await this.server.call('socket', { family: 'unix', type: 'stream' }), 'socket');
    ok(await this.server.call('bind', { fd: this.listenerFd, path: this.listenerPath }), 'bind');
    ok(await this.server.call('listen', { fd: this.listenerFd, backlog: LISTEN_BACKLOG }), 'listen');
    this.msqid = ok(await this.server.call('msgget', {}), 'msgget');
    for (const m of MESSAGES) ok(await this.server.call('msgsnd', { msqid: this.msqid, type: m.type, text: m.text }), 'msgsnd');
  }

  private async buildClientsAndSemaphore(team: ActorTeam): Promise<void> {
    this.client = await team.spawn('client');
    for (let i = 0; i < 2; i++) {
      const fd = ok(await this.client.call('socket', { family: 'unix', type: 'stream' }), 'socket');
      ok(await this.client.call('connect', { fd, path: this.listenerPath }), 'connect');
      this.clientFds.push(fd);
    }
    this.semid = ok(await this.client.call('semget', { nsems: 1 }), 'semget');
    const args = { semid: this.semid, num: 0, op: -1 };
    this.semopReply = this.client.call('semop', args);
    if ((await this.client.watchBlocked('semop', args, this.semopReply)) !== 'blocked') throw new Error('semop returned instead of blocking');
  }

  /** Removes every IPC object, kills and reaps every process, deletes the FIFO and the socket path. */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    /* IPC_RMID first: it wakes the semop waiter (EIDRM) and frees the objects whatever happens to the actors */
    await attempt(() => this.semid >= 0 && sysv.semctlInt(this.semid, 0, IPC_RMID, 0));
    await attempt(() => this.msqid >= 0 && sysv.msgctl(this.msqid, IPC_RMID, null));
    await attempt(() => this.shmid >= 0 && sysv.shmctl(this.shmid, IPC_RMID, null));
    await attempt(() => this.team?.dispose());
    /* EOF down the pipeline lets every cat and then sh exit on their own */
    await attempt(() => {
      if (this.pipelineInput >= 0) closeFd(this.pipelineInput);
      this.pipelineInput = -1;
    });
    const shChild = this.natives.find((c) => c.pid === this.sh);
    if (shChild) await Promise.race([exited(shChild), new Promise((r) => setTimeout(r, 2000))]);
    /* whatever is left: the cats (sh's children, ours once sh is gone: subreaper), then the spawned ones */
    await attempt(() => killAndReap(this.cats.filter((pid) => [this.sh, process.pid].includes(parentOf(pid) ?? -1))));
    for (const child of this.natives) {
      await attempt(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited(child);
      });
    }
    await attempt(() => rmSync(this.dir, { recursive: true, force: true }));
    if (errors.length > 0) throw errors[0];
  }
}

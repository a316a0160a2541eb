/**
 * An actor: a real process that runs one syscall per command from the engine.
 *
 * Commands arrive as JSON lines on this actor's own control connection and run
 * synchronously on the main thread, so a blocking read really puts this
 * process to sleep in the kernel (wchan anon_pipe_read, /proc/PID/syscall
 * "0 <fd> ..."). Between commands the process idles in its event loop
 * (epoll_wait): "paused between syscalls".
 *
 * SIGPIPE: Node starts with SIGPIPE ignored and exec keeps SIG_IGN; the actor
 * puts back the default disposition, so a write to a pipe nobody can read
 * kills it with SIGPIPE, as it would kill a C program. SIGUSR1 likewise goes
 * back to SIG_DFL (Node catches it for its inspector).
 */
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { actorNative, PR_SET_PDEATHSIG, SIGKILL, SIGPIPE, SIGUSR1, SIG_DFL } from './actor-libc';
import {
  CONTROL_FD,
  ENV_DIE_WITH_PARENT,
  ENV_FDS,
  ENV_PARENT_PID,
  ENV_ROLE,
  type ActorHello,
  type ActorReply,
  type ActorRequest,
} from './actor-protocol';
import { OpArgError, type ActorState } from './ops/op-types';
import { findOp } from './ops/registry';

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`actor: ${name} is not set\n`);
    actorNative.exit(2);
  }
  return value ?? '';
}

function runRequest(request: ActorRequest, state: ActorState): ActorReply {
  const op = findOp(request.op);
  if (!op) return { id: request.id, result: -1, errno: null, error: `unknown op "${request.op}"` };
  try {
    return { id: request.id, ...op.run(request.args ?? {}, state) };
  } catch (err) {
    const error = err instanceof OpArgError ? err.message : `op ${request.op} failed: ${String(err)}`;
    return { id: request.id, result: -1, errno: 'EINVAL', error };
  }
}

function parseRequest(line: string): ActorRequest | null {
  try {
    const value = JSON.parse(line) as Partial<ActorRequest>;
    if (typeof value.id !== 'number' || typeof value.op !== 'string') return null;
    const args = typeof value.args === 'object' && value.args !== null ? value.args : {};
    return { id: value.id, op: value.op, args };
  } catch {
    return null;
  }
}

function serve(socket: Socket, state: ActorState): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const request = parseRequest(line);
      if (request) socket.write(`${JSON.stringify(runRequest(request, state))}\n`);
      newline = pending.indexOf('\n');
    }
  });
  /* The engine went away: nothing left to obey */
  const leave = (): void => actorNative.exit(0);
  socket.on('close', leave);
  socket.on('error', leave);
}

/**
 * PR_SET_PDEATHSIG only covers a parent that dies after the call: one that died
 * while this process was still starting Node (the first few hundred ms) left
 * it reparented already. The pid we were spawned by is in the environment; a
 * different parent now means it is gone, and so must we be.
 */
function dieWithParent(): void {
  if (process.env[ENV_DIE_WITH_PARENT] !== '1') return;
  actorNative.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  const expected = Number(process.env[ENV_PARENT_PID]);
  if (Number.isInteger(expected) && expected > 0 && process.ppid !== expected) actorNative.exit(0);
}

function main(): void {
  const role = env(ENV_ROLE);
  /*
   * The hello goes first, even before dieWithParent: the engine learns this
   * pid from it, so it can reap this process (its subreaper) should the
   * parent have died before telling it the pid.
   */
  const hello: ActorHello = { hello: true, role, pid: process.pid };
  writeSync(CONTROL_FD, `${JSON.stringify(hello)}\n`);
  dieWithParent();
  actorNative.signal(SIGPIPE, SIG_DFL);
  /* Node catches SIGUSR1 to start its inspector; a C program starts with SIG_DFL, so SigCgt shows only the lesson's handlers */
  actorNative.signal(SIGUSR1, SIG_DFL);
  const inherited = (process.env[ENV_FDS] ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  /* Lesson descriptors were O_CLOEXEC in the parent; after the dup2 they are not: restore, as a fork keeps flags */
  markInheritedCloexec();
  const state: ActorState = { role, lessonFds: new Set(inherited) };
  serve(new Socket({ fd: CONTROL_FD, readable: true, writable: true }), state);
}

main();

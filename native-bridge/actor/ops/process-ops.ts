/**
 * Process ops: spawn-child (the lesson's "fork"), waitpid, exit, kill, sleep.
 *
 * spawn-child uses posix_spawn from this actor, so the child's PPid is this
 * actor and this actor's own waitpid reaps it (the actor never uses
 * child_process, so libuv never installs a SIGCHLD reaper that would steal the
 * status). File actions dup2(fd, fd) each descriptor the child must inherit:
 * glibc 2.36 clears FD_CLOEXEC on dup2(fd, fd), and every lesson descriptor is
 * O_CLOEXEC, as are Node's own 0-2. The child thus holds the same objects at
 * the same fd numbers, as after a real fork. The child's own control channel
 * (CONTROL_FD, INBOX_FD) comes from the engine through this actor's inbox
 * (SCM_RIGHTS) and is dup2'd into place last.
 */
import { errnoName } from '../../libc/errno';
import { WNOHANG, native } from '../../libc/libc';
import { FILE_ACTIONS_SIZE, actorNative } from '../actor-libc';
import {
  CONTROL_FD,
  ENV_COMMAND,
  ENV_DIE_WITH_PARENT,
  ENV_FDS,
  ENV_PARENT_PID,
  ENV_ROLE,
  INBOX_FD,
  type ActorCommand,
  type OpOutcome,
} from '../actor-protocol';
import { receiveFds } from '../fd-passing';
import { type OpTable, OpArgError, intArg, intListArg, stringArg, syscallOutcome } from './op-types';

/* Environment a child actor needs besides the IPCSCOPE_* variables */
const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'ELECTRON_RUN_AS_NODE'];

function commandFromEnv(): ActorCommand {
  const raw = process.env[ENV_COMMAND];
  if (!raw) throw new OpArgError(`${ENV_COMMAND} is not set: this actor cannot start others`);
  return JSON.parse(raw) as ActorCommand;
}

function childEnv(command: ActorCommand, role: string, fds: number[], dieWithParent: boolean): string[] {
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, command.env, {
    [ENV_ROLE]: role,
    [ENV_COMMAND]: JSON.stringify(command),
    [ENV_FDS]: fds.join(','),
    [ENV_PARENT_PID]: String(process.pid),
  });
  if (dieWithParent) env[ENV_DIE_WITH_PARENT] = '1';
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** WIFEXITED / WEXITSTATUS / WIFSIGNALED / WTERMSIG from <sys/wait.h>. */
export function decodeWaitStatus(status: number): { exitCode: number | null; signal: number | null } {
  const low = status & 0x7f;
  if (low === 0) return { exitCode: (status >> 8) & 0xff, signal: null };
  if (low !== 0x7f) return { exitCode: null, signal: low };
  return { exitCode: null, signal: null };
}

/** posix_spawn of an actor holding `fds` at the same numbers and its control channel at 3 and 4. */
function spawnActor(command: ActorCommand, env: string[], fds: number[], channel: number[]): OpOutcome {
  const fa = new Uint8Array(FILE_ACTIONS_SIZE);
  if (actorNative.fileActionsInit(fa) !== 0) return { result: -1, errno: 'ENOMEM' };
  try {
    const places = [...[0, 1, 2, ...fds].map((fd) => [fd, fd]), [channel[0]!, CONTROL_FD], [channel[1]!, INBOX_FD]];
    for (const [fd, newFd] of places) {
      const rc = actorNative.fileActionsAddDup2(fa, fd!, newFd!);
      if (rc !== 0) return { result: -1, errno: errnoName(rc) };
    }
    const pid = new Int32Array(1);
    /* posix_spawn returns the error number itself instead of setting errno */
    const rc = actorNative.posixSpawn(pid, command.file, fa, null, [command.file, ...command.args, null], [...env, null]);
    if (rc !== 0) return { result: -1, errno: errnoName(rc) };
    return { result: pid[0]!, errno: null, data: { pid: pid[0]!, fds } };
  } finally {
    actorNative.fileActionsDestroy(fa);
  }
}

export const processOps: OpTable = {
  'spawn-child': {
    sleepsIn: [],
    run(args, state) {
      /* the engine sent the child's two control ends just before this request: taken first, so none is left queued */
      const channel = receiveFds(INBOX_FD);
      try {
        const role = stringArg(args, 'role');
        const fds = intListArg(args, 'fds') ?? [...state.lessonFds].sort((a, b) => a - b);
        if (fds.includes(CONTROL_FD) || fds.includes(INBOX_FD)) {
          throw new OpArgError(`fds ${CONTROL_FD} and ${INBOX_FD} are this actor's control channel, not lesson descriptors`);
        }
        if (channel.length !== 2) return { result: -1, errno: null, error: 'no control channel for the child arrived from the engine' };
        const command = commandFromEnv();
        return spawnActor(command, childEnv(command, role, fds, args.outlivesParent !== true), fds, channel);
      } finally {
        /* the child holds them at 3 and 4 now; this actor's copies would keep its channel open after it exits */
        for (const fd of channel) native.close(fd);
      }
    },
  },
  waitpid: {
    /* glibc waitpid is wait4 (61); it sleeps in wchan do_wait */
    sleepsIn: [61],
    run(args) {
      const pid = intArg(args, 'pid');
      const status = new Int32Array(1);
      const result = native.waitpid(pid, status, args.nohang === true ? WNOHANG : 0);
      if (result <= 0) return syscallOutcome(result);
      const { exitCode, signal } = decodeWaitStatus(status[0]!);
      return { result, errno: null, data: { status: status[0]!, exitCode, signal } };
    },
  },
  exit: {
    sleepsIn: [],
    run(args) {
      /* _exit is exit_group (231): no atexit handlers, no reply; the engine sees the control socket close */
      actorNative.exit(intArg(args, 'code', 0));
      return { result: 0, errno: null };
    },
  },
  kill: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(native.kill(intArg(args, 'pid'), intArg(args, 'signal')));
    },
  },
  sleep: {
    /* usleep -> clock_nanosleep (230), wchan hrtimer_nanosleep */
    sleepsIn: [230],
    run(args) {
      const ms = intArg(args, 'ms');
      if (ms < 0 || ms > 600_000) throw new OpArgError('ms must be 0 to 600000');
      return syscallOutcome(actorNative.usleep(ms * 1000));
    },
  },
};

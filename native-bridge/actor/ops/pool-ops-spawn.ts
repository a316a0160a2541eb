/**
 * Starting one process-pool worker: posix_spawn of `/bin/sh worker.sh K`
 * from the parent actor, with the file actions the C child makes before
 * exec (dup2(fd[0], 0), close(fd[0]), close(fd[1])). glibc's posix_spawn
 * runs them in the child (clone(CLONE_VFORK), then dup2/close/execve), so
 * the worker holds exactly what a forked-and-exec'd C child would hold:
 * fd 0, and, when the pipes have no O_CLOEXEC, every write end the parent
 * still has open (the elder siblings' pipes).
 *
 * Beyond the C program, the engine puts every worker in one process group
 * (POSIX_SPAWN_SETPGROUP) so it can remove them all with one kill(-pgid)
 * when the lesson stops or the engine is killed, and gives them an empty
 * signal mask.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoName } from '../../libc/errno';
import { libc } from '../../libc/libc';
import { FILE_ACTIONS_SIZE, actorNative } from '../actor-libc';

const lib = libc();

/* posix_spawnattr_t is 336 bytes on x86_64 glibc (opaque); sigset_t 128 */
const SPAWN_ATTR_SIZE = 336;
const SIGSET_SIZE = 128;
/* <spawn.h> */
const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGMASK = 0x08;

const spawnNative = {
  attrInit: lib.func('int posix_spawnattr_init(void *attr)') as (attr: Uint8Array) => number,
  attrDestroy: lib.func('int posix_spawnattr_destroy(void *attr)') as (attr: Uint8Array) => number,
  attrSetFlags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)') as (attr: Uint8Array, flags: number) => number,
  attrSetPgroup: lib.func('int posix_spawnattr_setpgroup(void *attr, int pgroup)') as (attr: Uint8Array, pgroup: number) => number,
  attrSetSigmask: lib.func('int posix_spawnattr_setsigmask(void *attr, const void *mask)') as (attr: Uint8Array, mask: Uint8Array) => number,
  addClose: lib.func('int posix_spawn_file_actions_addclose(void *fa, int fd)') as (fa: Uint8Array, fd: number) => number,
  posixSpawn: lib.func(
    'int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)',
  ) as (pid: Int32Array, path: string, fa: Uint8Array, attr: Uint8Array, argv: (string | null)[], envp: (string | null)[]) => number,
};

/** The file in the lesson directory that names the workers' process group (session/lesson-workers.ts reads it). */
export const GROUP_RECORD = '.process-group';

/** Records the workers' group in the lesson directory, for the engine and its watchdog. */
export function recordGroup(dir: string, group: number): void {
  writeFileSync(join(dir, GROUP_RECORD), `${group}\n`);
}

export interface WorkerSpawn {
  /** The worker's pipe, as pipe2 returned it in the parent. */
  readFd: number;
  writeFd: number;
  /** 0 for the first worker: its pid becomes the group's id. */
  processGroup: number;
  script: string;
  /** K, 1-based: the worker's name in its output. */
  index: number;
  env: string[];
}

/** The worker's pid, or the errno name posix_spawn returned. */
export function spawnWorker(w: WorkerSpawn): number | string {
  const fa = new Uint8Array(FILE_ACTIONS_SIZE);
  const attr = new Uint8Array(SPAWN_ATTR_SIZE);
  if (actorNative.fileActionsInit(fa) !== 0) return 'ENOMEM';
  if (spawnNative.attrInit(attr) !== 0) {
    actorNative.fileActionsDestroy(fa);
    return 'ENOMEM';
  }
  try {
    /* the child's dup2(fd[0], 0); close(fd[0]); close(fd[1]); and 1, 2 kept (dup2(fd, fd) clears FD_CLOEXEC in glibc 2.36) */
    const actions: [string, number, number][] = [
      ['dup2', w.readFd, 0],
      ['close', w.readFd, -1],
      ['close', w.writeFd, -1],
      ['dup2', 1, 1],
      ['dup2', 2, 2],
    ];
    for (const [kind, fd, newFd] of actions) {
      const rc = kind === 'dup2' ? actorNative.fileActionsAddDup2(fa, fd, newFd) : spawnNative.addClose(fa, fd);
      if (rc !== 0) return errnoName(rc);
    }
    const empty = new Uint8Array(SIGSET_SIZE);
    for (const rc of [
      spawnNative.attrSetFlags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK),
      spawnNative.attrSetPgroup(attr, w.processGroup),
      spawnNative.attrSetSigmask(attr, empty),
    ]) {
      if (rc !== 0) return errnoName(rc);
    }
    const pid = new Int32Array(1);
    /* posix_spawn returns the error number itself instead of setting errno */
    const rc = spawnNative.posixSpawn(pid, '/bin/sh', fa, attr, ['sh', w.script, String(w.index), null], [...w.env, null]);
    return rc === 0 ? pid[0]! : errnoName(rc);
  } finally {
    actorNative.fileActionsDestroy(fa);
    spawnNative.attrDestroy(attr);
  }
}

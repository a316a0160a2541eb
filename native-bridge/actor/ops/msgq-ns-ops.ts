/**
 * The POSIX queue lesson's private namespaces: unshare(CLONE_NEWNS |
 * CLONE_NEWIPC) gives the actor (and the children it spawns, which inherit
 * its namespaces) a mount table and an IPC namespace of its own, so that
 * the queue it creates dies with the last of those processes and the
 * mqueue filesystem it mounts is seen by nobody else; mount(MS_REC |
 * MS_PRIVATE) on "/" first, so that the mount does not propagate back to
 * the machine's namespace. Measured on this machine: the engine reads
 * QSIZE through /proc/<actor pid>/root/<mount point>/<name>, the host's
 * mountinfo shows no mqueue mount. Each op is one syscall on the actor's
 * main thread (in a threaded process unshare changes only the calling
 * thread, and /proc/PID/root follows the main thread).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, sep } from 'node:path';
import { libc } from '../../libc/libc';
import { type OpTable, OpArgError, stringArg, syscallOutcome } from './op-types';

/* <sched.h>, <sys/mount.h> (x86_64) */
const CLONE_NEWNS = 0x00020000;
const CLONE_NEWIPC = 0x08000000;
const MS_REC = 0x4000;
const MS_PRIVATE = 0x40000;

let calls: {
  unshare: (flags: number) => number;
  mount: (source: string | null, target: string, type: string | null, flags: number, data: null) => number;
} | null = null;

function nsCalls(): NonNullable<typeof calls> {
  calls ??= {
    unshare: libc().func('int unshare(int flags)') as (flags: number) => number,
    mount: libc().func('int mount(const char *source, const char *target, const char *type, unsigned long flags, const void *data)') as NonNullable<typeof calls>['mount'],
  };
  return calls;
}

/* a lesson's own directory (LessonTempDir: <tmpdir>/ipcscope-lesson-XXXXXX/<sub>): the only place a lesson may mount */
function lessonSubdir(args: Record<string, unknown>): string {
  const path = resolve(stringArg(args, 'path'));
  const lessons = `${resolve(tmpdir())}${sep}ipcscope-lesson-`;
  if (!path.startsWith(lessons) || path.slice(lessons.length).split(sep).length !== 2) {
    throw new OpArgError('path must be a directory inside the lesson\'s own directory');
  }
  return path;
}

export const msgqNsOps: OpTable = {
  'unshare-ipc-mounts': {
    sleepsIn: [],
    run() {
      return syscallOutcome(nsCalls().unshare(CLONE_NEWNS | CLONE_NEWIPC));
    },
  },
  'mount-private': {
    sleepsIn: [],
    run() {
      return syscallOutcome(nsCalls().mount(null, '/', null, MS_REC | MS_PRIVATE, null));
    },
  },
  'mount-mqueue': {
    /* the mount point is made in the lesson's directory first (a mkdir, like the shell's `mkdir -p`): /dev/mqueue does not exist here */
    sleepsIn: [],
    run(args) {
      const path = lessonSubdir(args);
      mkdirSync(path, { recursive: true, mode: 0o700 });
      return syscallOutcome(nsCalls().mount('mqueue', path, 'mqueue', 0, null));
    },
  },
};

/**
 * libc bindings the actor framework needs beyond native-bridge/libc/libc.ts:
 * posix_spawn (a "fork" whose child is a real child of the calling actor),
 * signal dispositions, _exit, sleeping, and prctl for the reaping rules.
 * Loaded through `libc()` like every other binding file.
 */
import { libc } from '../libc/libc';

const lib = libc();

/* posix_spawn_file_actions_t: 80 bytes on x86_64 glibc, opaque */
export const FILE_ACTIONS_SIZE = 80;
export const SIGPIPE = 13;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIG_DFL = 0;
/* prctl options (linux/prctl.h) */
export const PR_SET_PDEATHSIG = 1;
export const PR_SET_CHILD_SUBREAPER = 36;

export const actorNative = {
  posixSpawn: lib.func(
    'int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)',
  ) as (pid: Int32Array, path: string, fa: Uint8Array, attr: null, argv: (string | null)[], envp: (string | null)[]) => number,
  fileActionsInit: lib.func('int posix_spawn_file_actions_init(void *fa)') as (fa: Uint8Array) => number,
  fileActionsAddDup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)') as (
    fa: Uint8Array,
    fd: number,
    newFd: number,
  ) => number,
  fileActionsDestroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)') as (fa: Uint8Array) => number,
  /* sighandler_t declared as intptr_t: SIG_DFL is 0, and the ABI passes both in a register */
  signal: lib.func('intptr_t signal(int sig, intptr_t handler)') as (sig: number, handler: number) => number | bigint,
  exit: lib.func('void _exit(int status)') as (status: number) => void,
  /* glibc usleep -> clock_nanosleep (syscall 230, wchan hrtimer_nanosleep) */
  usleep: lib.func('int usleep(unsigned int usec)') as (usec: number) => number,
  prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)') as (
    option: number,
    arg2: number,
    arg3: number,
    arg4: number,
    arg5: number,
  ) => number,
};

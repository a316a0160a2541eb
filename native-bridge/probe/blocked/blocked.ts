/**
 * Classifies a sleeping process by the syscall it sits in (/proc/PID/syscall,
 * x86_64 numbers) and its wchan, and points it at the object it waits on.
 */
import type { Blocked, BlockedOp } from '../../model/snapshot-types';
import { intArg } from '../process/proc-stat';
import type { ScannedProcessWithExtras } from '../process/process-scan';

type ArgKind = 'fd' | 'msqid' | 'semid' | 'path' | 'none';

interface SyscallInfo {
  name: string;
  op: BlockedOp;
  arg: ArgKind;
}

/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) */
const SYSCALLS: Record<number, SyscallInfo> = {
  0: { name: 'read', op: 'read', arg: 'fd' },
  1: { name: 'write', op: 'write', arg: 'fd' },
  2: { name: 'open', op: 'open', arg: 'path' },
  7: { name: 'poll', op: 'poll', arg: 'none' },
  17: { name: 'pread64', op: 'read', arg: 'fd' },
  18: { name: 'pwrite64', op: 'write', arg: 'fd' },
  19: { name: 'readv', op: 'read', arg: 'fd' },
  20: { name: 'writev', op: 'write', arg: 'fd' },
  23: { name: 'select', op: 'poll', arg: 'none' },
  34: { name: 'pause', op: 'sigwait', arg: 'none' },
  35: { name: 'nanosleep', op: 'sleep', arg: 'none' },
  40: { name: 'sendfile', op: 'write', arg: 'fd' },
  42: { name: 'connect', op: 'connect', arg: 'fd' },
  43: { name: 'accept', op: 'accept', arg: 'fd' },
  44: { name: 'sendto', op: 'send', arg: 'fd' },
  45: { name: 'recvfrom', op: 'recv', arg: 'fd' },
  46: { name: 'sendmsg', op: 'send', arg: 'fd' },
  47: { name: 'recvmsg', op: 'recv', arg: 'fd' },
  61: { name: 'wait4', op: 'wait', arg: 'none' },
  65: { name: 'semop', op: 'semop', arg: 'semid' },
  69: { name: 'msgsnd', op: 'msgsnd', arg: 'msqid' },
  70: { name: 'msgrcv', op: 'msgrcv', arg: 'msqid' },
  /* fcntl waits only in F_SETLKW 7 / F_OFD_SETLKW 38 (a file lock): see describeSyscallWait */
  72: { name: 'fcntl', op: 'other', arg: 'fd' },
  73: { name: 'flock', op: 'lock', arg: 'fd' },
  128: { name: 'rt_sigtimedwait', op: 'sigwait', arg: 'none' },
  130: { name: 'rt_sigsuspend', op: 'sigwait', arg: 'none' },
  202: { name: 'futex', op: 'futex', arg: 'none' },
  219: { name: 'restart_syscall', op: 'other', arg: 'none' },
  220: { name: 'semtimedop', op: 'semop', arg: 'semid' },
  230: { name: 'clock_nanosleep', op: 'sleep', arg: 'none' },
  232: { name: 'epoll_wait', op: 'poll', arg: 'none' },
  242: { name: 'mq_timedsend', op: 'mq_send', arg: 'fd' },
  243: { name: 'mq_timedreceive', op: 'mq_receive', arg: 'fd' },
  247: { name: 'waitid', op: 'wait', arg: 'none' },
  257: { name: 'openat', op: 'open', arg: 'path' },
  270: { name: 'pselect6', op: 'poll', arg: 'none' },
  271: { name: 'ppoll', op: 'poll', arg: 'none' },
  275: { name: 'splice', op: 'read', arg: 'fd' },
  276: { name: 'tee', op: 'read', arg: 'fd' },
  281: { name: 'epoll_pwait', op: 'poll', arg: 'none' },
  288: { name: 'accept4', op: 'accept', arg: 'fd' },
  299: { name: 'recvmmsg', op: 'recv', arg: 'fd' },
  307: { name: 'sendmmsg', op: 'send', arg: 'fd' },
  437: { name: 'openat2', op: 'open', arg: 'path' },
  441: { name: 'epoll_pwait2', op: 'poll', arg: 'none' },
};

const SOCKET_KINDS = ['unix:', 'tcp:', 'udp:'];

/**
 * When the syscall alone does not say what the wait is (restart_syscall after
 * SIGCONT, an unlisted call), the kernel function it sleeps in often does.
 */
const OP_BY_WCHAN: Record<string, BlockedOp> = {
  hrtimer_nanosleep: 'sleep',
  do_nanosleep: 'sleep',
  do_wait: 'wait',
  do_sigtimedwait: 'sigwait',
  sigsuspend: 'sigwait',
  do_epoll_wait: 'poll',
  do_sys_poll: 'poll',
  do_select: 'poll',
  futex_wait_queue: 'futex',
  anon_pipe_read: 'read',
  pipe_read: 'read',
  anon_pipe_write: 'write',
  pipe_write: 'write',
  wait_for_partner: 'open',
  do_msgrcv: 'msgrcv',
  do_msgsnd: 'msgsnd',
  __do_semtimedop: 'semop',
  wq_sleep: 'mq_receive',
  locks_lock_inode_wait: 'lock',
  fcntl_setlk: 'lock',
};

/* fcntl commands that sleep until a file lock is granted (x86_64: F_SETLKW64 is F_SETLKW) */
const F_SETLKW = 7;
const F_OFD_SETLKW = 38;

/** What a syscall, given its arguments, waits on: op, name, fd and object (when they can be named). */
export interface SyscallWait {
  op: BlockedOp;
  syscall: string;
  fd: number | null;
  object: string | null;
}

/**
 * The pure part of the classification: syscall number and arguments to an
 * operation on an object. `objectOfFd(fd)` names the object behind one of the
 * process's descriptors; `fifoInode` is the FIFO an open() waits for.
 */
export function describeSyscallWait(
  nr: number,
  args: readonly bigint[],
  objectOfFd: (fd: number) => string | null,
  fifoInode: number | null = null,
): SyscallWait {
  const info = SYSCALLS[nr];
  const arg0 = args[0];
  let fd: number | null = null;
  let object: string | null = null;
  let op: BlockedOp = info?.op ?? 'other';
  if (nr === 72 && (args[1] === BigInt(F_SETLKW) || args[1] === BigInt(F_OFD_SETLKW))) op = 'lock';
  switch (info?.arg) {
    case 'fd':
      fd = arg0 === undefined ? null : intArg(arg0);
      object = fd === null ? null : objectOfFd(fd);
      // read()/write() on a socket is a recv/send in the picture's words.
      if (object && SOCKET_KINDS.some((k) => object!.startsWith(k))) {
        if (op === 'read') op = 'recv';
        else if (op === 'write') op = 'send';
      }
      break;
    case 'msqid':
      object = arg0 === undefined ? null : `msg:${intArg(arg0)}`;
      break;
    case 'semid':
      object = arg0 === undefined ? null : `sem:${intArg(arg0)}`;
      break;
    case 'path':
      object = fifoInode === null ? null : `fifo:${fifoInode}`;
      break;
    default:
      break;
  }
  return { op, syscall: info?.name ?? `syscall_${nr}`, fd, object };
}

/**
 * A sleeping process as an operation on an object; null when it is not asleep
 * in a syscall. `objectOfFd(fd)` names the object behind one of its
 * descriptors; `waitsOn` is the object a kind probe found it waits on.
 */
export function classifyBlocked(
  proc: ScannedProcessWithExtras,
  objectOfFd: (fd: number) => string | null,
  waitsOn: string | null = null,
): Blocked | null {
  if (proc.state !== 'S' && proc.state !== 'D') return null;
  if (proc.syscallNr < 0) return null;
  const wait = describeSyscallWait(proc.syscallNr, proc.syscallArgs, objectOfFd, proc.fifoOpen?.inode ?? null);
  const op = wait.op === 'other' ? (OP_BY_WCHAN[proc.wchan] ?? 'other') : wait.op;
  // a kind probe that found what the wait is on (a listener for connect()) overrides the descriptor's object
  return { op, syscall: wait.syscall, syscallNr: proc.syscallNr, fd: wait.fd, wchan: proc.wchan, object: waitsOn ?? wait.object };
}

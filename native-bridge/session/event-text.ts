/**
 * Human summaries of syscall events, e.g. `read(3, 64) = 12`,
 * `write(4, "hello world\n", 12) = 12`, `close(3) = -1 EBADF`.
 */
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';
import { msgqCallText } from './msgq-event-text';
import { signalName } from '../probe/process/signals';

const SHOWN_BYTES = 24;

function quoted(bytes: Buffer): string {
  const text = bytes.subarray(0, SHOWN_BYTES).toString('latin1');
  const escaped = JSON.stringify(text).slice(1, -1);
  return `"${escaped}${bytes.length > SHOWN_BYTES ? '...' : ''}"`;
}

function num(args: OpArgs, name: string): string {
  const value = args[name];
  return typeof value === 'number' ? String(value) : '?';
}

/** The call as issued, without its result. */
export function callText(syscall: string, args: OpArgs, extra: { fds?: number[]; spawned?: string } = {}): string {
  /* a bulk step (one op, the same call for each of N workers) names its calls itself */
  if (typeof args.calls === 'string') return args.calls;
  const msgq = msgqCallText(syscall, args);
  if (msgq !== null) return msgq;
  switch (syscall) {
    case 'read':
      return `read(${num(args, 'fd')}, ${num(args, 'count')})`;
    case 'write': {
      const bytes = offeredBytes(args);
      /* write-fill: `count` bytes the engine never sees */
      if (!bytes && typeof args.count === 'number') return `write(${num(args, 'fd')}, <${args.count} bytes>, ${args.count})`;
      if (!bytes) return `write(${num(args, 'fd')}, "", 0)`;
      return `write(${num(args, 'fd')}, ${quoted(bytes)}, ${bytes.length})`;
    }
    case 'send': {
      /* bytes given as text or base64 (an echo of what recv returned), shown as C would write them */
      const bytes = offeredBytes(args);
      if (!bytes) return plainCall(syscall, args);
      return `send(${num(args, 'fd')}, ${quoted(bytes)}, ${bytes.length}, 0)`;
    }
    case 'fcntl':
      /* a record lock (op fcntl-lock) names its type; otherwise the pipe lessons' F_GETPIPE_SZ */
      if (typeof args.type === 'string') return `fcntl(${num(args, 'fd')}, ${args.wait === false ? 'F_SETLK' : 'F_SETLKW'}, {${args.type}, SEEK_SET, ${num({ start: 0, ...args }, 'start')}, ${num({ len: 0, ...args }, 'len')}})`;
      return `fcntl(${num(args, 'fd')}, F_GETPIPE_SZ)`;
    /* a shared file and its lock, as the mmap-lock lesson's C writes them */
    case 'flock':
      return `flock(${num(args, 'fd')}, ${String(args.operation)}${args.nowait === true ? ' | LOCK_NB' : ''})`;
    case 'open':
      /* a FIFO's open (fifo-ops) names its access */
      if (typeof args.access === 'string') return plainCall(syscall, args);
      return `open(${JSON.stringify(args.path)}, ${args.append === true ? 'O_WRONLY | O_APPEND' : 'O_RDWR'}${args.create === true ? ' | O_CREAT' : ''} | O_CLOEXEC${args.create === true ? ', 0600' : ''})`;
    case 'mmap':
      return `mmap(NULL, ${num(args, 'size')}, PROT_READ | PROT_WRITE, MAP_SHARED, ${num(args, 'fd')}, 0)`;
    case 'ftruncate':
      return `ftruncate(${num(args, 'fd')}, ${num(args, 'size')})`;
    case 'munmap':
      return `munmap(${String(args.address)})`;
    case 'close':
      return `close(${num(args, 'fd')})`;
    case 'pipe2':
      return extra.fds ? `pipe2([${extra.fds.join(', ')}], O_CLOEXEC)` : 'pipe2(fd, O_CLOEXEC)';
    case 'fork':
      return `fork() /* posix_spawn of ${extra.spawned ?? 'a child'} */`;
    case 'waitpid':
      return `waitpid(${num(args, 'pid')}, &status, 0)`;
    case 'exit':
      return `exit(${num(args, 'code')})`;
    case 'kill':
      return `kill(${num(args, 'pid')}, ${num(args, 'signal')})`;
    /* the signals lesson, as its C writes them */
    case 'sigaction':
      return `sigaction(${signalName(Number(args.signal))}, &sa, NULL)`;
    case 'sigprocmask': {
      const set = Array.isArray(args.signals) ? args.signals.map((n) => signalName(Number(n))).join(', ') : '?';
      return `sigprocmask(${args.how === 'unblock' ? 'SIG_UNBLOCK' : 'SIG_BLOCK'}, {${set}}, NULL)`;
    }
    /* System V shared memory, as the shm lesson's C writes them */
    case 'ftok':
      return `ftok(${JSON.stringify(args.path)}, 0x${Number(args.projId).toString(16)})`;
    case 'shmget': {
      const flags = [args.create === false ? '' : 'IPC_CREAT', args.excl === true ? 'IPC_EXCL' : '', `0${Number(args.perms ?? 0o600).toString(8)}`];
      return `shmget(0x${(Number(args.key) >>> 0).toString(16)}, ${num(args, 'size')}, ${flags.filter(Boolean).join(' | ')})`;
    }
    case 'shmat':
      return `shmat(${num(args, 'shmid')}, NULL, ${args.readonly === true ? 'SHM_RDONLY' : '0'})`;
    case 'shmdt':
      return `shmdt(${typeof args.address === 'string' ? args.address : `shm ${num(args, 'shmid')}`})`;
    case 'shmctl':
      return `shmctl(${num(args, 'shmid')}, IPC_RMID, NULL)`;
    case 'strcpy': {
      const bytes = offeredBytes(args);
      return `strcpy(${String(args.address)}, ${bytes ? quoted(bytes.subarray(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0))) : '""'})`;
    }
    /* descriptor passing (scm-rights-ops), as the pass-descriptor lesson's C writes them */
    case 'sendmsg':
      return `sendmsg(${num(args, 'fd')}, {1 byte, SCM_RIGHTS [${Array.isArray(args.pass) ? args.pass.join(', ') : '?'}]}, 0)`;
    case 'recvmsg':
      /* on return: the numbers the kernel installed for the passed descriptors */
      return `recvmsg(${num(args, 'fd')}, ${extra.fds ? `{1 byte, SCM_RIGHTS [${extra.fds.join(', ')}]}` : '&msg'}, MSG_CMSG_CLOEXEC)`;
    case 'memcpy':
      return `memcpy(buf, ${String(args.address)}, ${num(args, 'count')})`;
    default:
      return plainCall(syscall, args);
  }
}

/** A call no case above writes as C: its arguments in order. */
function plainCall(syscall: string, args: OpArgs): string {
  const list = Object.values(args)
    .map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)))
    .join(', ');
  return `${syscall}(${list})`;
}

export function resultText(call: string, result: number | string | null, errno: string | null): string {
  if (result === null) return `${call} /* no return: the process is gone */`;
  return errno ? `${call} = ${result} ${errno}` : `${call} = ${result}`;
}

/** A result C would print otherwise than as a decimal: the address shmat mapped, an ftok key in hex (as ipcs shows keys). */
export function shownResult(data: Record<string, unknown> | undefined): string | null {
  if (typeof data?.address === 'string') return data.address;
  if (typeof data?.keyHex === 'string') return data.keyHex;
  /* an id with the key it was made under, when ftok's first key was taken (actor/ops/ftok-fresh-key.ts) */
  if (typeof data?.shown === 'string') return data.shown;
  /* getsockname returns 0 and fills in the address: show both (the port the kernel chose) */
  if (typeof data?.sockname === 'string') return `0, addr = ${data.sockname}`;
  return null;
}

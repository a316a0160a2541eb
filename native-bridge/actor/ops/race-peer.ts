/**
 * The racer's watch on its echo (race-ops.ts): the echo is the racer's child,
 * so the kernel tells the racer when it dies (SIGCHLD) and keeps its exit
 * status until the racer waits for it.
 *
 * During a race the racer catches SIGCHLD without SA_RESTART (siginterrupt),
 * so the echo's death interrupts a wait that would otherwise never end: no
 * one is left to send on a System V queue, post a semaphore or fill a POSIX
 * queue. An interrupted call (EINTR) asks the kernel whether the echo has
 * exited (waitid WNOHANG | WNOWAIT: the status is read, the zombie stays for
 * the lesson's own waitpid); if it has not, the call is made again. The
 * engine repeats the signal while the racer's step runs after a death
 * (OpSpec.waitsOnPeer), in case the first came between two calls.
 */
import { libc, native, SYS_PIDFD_OPEN } from '../../libc/libc';

const lib = libc();
const raw = {
  /* clears SA_RESTART on the handler in place: the handler stays Node's (libuv's, which only notes the signal) */
  siginterrupt: lib.func('int siginterrupt(int sig, int flag)') as (sig: number, flag: number) => number,
  waitid: lib.func('int waitid(int idtype, int id, _Out_ uint8_t *infop, int options)') as (idtype: number, id: number, info: Uint8Array, options: number) => number,
  poll: lib.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)') as (fds: Uint8Array, nfds: number, timeout: number) => number,
};

const SIGCHLD = 17;
/* <sys/wait.h>: P_PIDFD 3; WNOHANG 1, WEXITED 4, WNOWAIT 0x01000000; siginfo_t si_code CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3 */
const P_PIDFD = 3;
const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const CLD_EXITED = 1;
const POLLIN = 1;

/** How a peer ended, as waitid reports it: its exit status, or the signal that killed it. */
export interface PeerExit {
  pid: number;
  exitCode?: number;
  signal?: number;
}

const noteSignal = (): void => undefined;

/** From now until the returned function is called, SIGCHLD interrupts this process's waits (EINTR). */
export function interruptOnChildExit(): () => void {
  process.on('SIGCHLD', noteSignal);
  raw.siginterrupt(SIGCHLD, 1);
  return () => void process.off('SIGCHLD', noteSignal);
}

/**
 * The peer's exit, once it has exited, waiting at most `waitMs` for it (poll on
 * its pidfd: readable when the process has exited); null while it runs.
 */
export function peerExit(pid: number, waitMs: number): PeerExit | null {
  const pidfd = native.pidfdOpen(SYS_PIDFD_OPEN, pid, 0);
  if (pidfd < 0) return null;
  try {
    if (waitMs > 0) {
      const pollfd = new Uint8Array(8);
      new DataView(pollfd.buffer).setInt32(0, pidfd, true);
      new DataView(pollfd.buffer).setInt16(4, POLLIN, true);
      raw.poll(pollfd, 1, waitMs);
    }
    /* siginfo_t (x86_64): si_code at 8, si_pid at 16, si_status at 24; si_pid stays 0 when nothing has exited */
    const info = new Uint8Array(128);
    if (raw.waitid(P_PIDFD, pidfd, info, WEXITED | WNOHANG | WNOWAIT) < 0) return null;
    const view = new DataView(info.buffer);
    if (view.getInt32(16, true) !== pid) return null;
    const code = view.getInt32(8, true);
    const status = view.getInt32(24, true);
    return code === CLD_EXITED ? { pid, exitCode: status } : { pid, signal: status };
  } finally {
    native.close(pidfd);
  }
}

/** A race call the peer's death ended: the call, its errno and how the peer ended. */
export class PeerGoneError extends Error {
  constructor(
    readonly call: string,
    readonly errno: string,
    readonly peer: PeerExit,
  ) {
    super(`${call} failed: the peer ${peer.pid} has exited`);
  }
}

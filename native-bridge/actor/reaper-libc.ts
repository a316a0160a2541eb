/** waitpid/kill wrappers for the reaper that report errno as a negative number. */
import { EINTR } from '../libc/errno';
import { WNOHANG, lastErrno, native } from '../libc/libc';
import { SIGKILL } from './actor-libc';

export function killQuietly(pid: number): void {
  native.kill(pid, SIGKILL);
}

/** pid when reaped, 0 when still running, -errno on failure. */
export function waitpidNoHang(pid: number): number {
  const status = new Int32Array(1);
  const result = native.waitpid(pid, status, WNOHANG);
  return result < 0 ? -lastErrno() : result;
}

export function waitpidBlocking(pid: number): number {
  const status = new Int32Array(1);
  for (;;) {
    const result = native.waitpid(pid, status, 0);
    if (result >= 0) return result;
    const errno = lastErrno();
    if (errno !== EINTR) return -errno;
  }
}

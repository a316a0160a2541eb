/** Words shared by the diagnoses' evidence sentences. */
import type { ProcessInfo } from '../model/snapshot-types';
import type { SnapshotIndex } from './wait-for';

/** "pid 4242 (cat)", or "pid 4242" for a process outside the snapshot. */
export function processName(pid: number, index: SnapshotIndex): string {
  const proc = index.processes.get(pid);
  return proc ? `pid ${pid} (${proc.comm})` : `pid ${pid}`;
}

/** Where a process is asleep, in the kernel's words: "read(5), wchan anon_pipe_read, on pipe:4614". */
export function sleepText(proc: ProcessInfo): string {
  const b = proc.blocked;
  if (!b) return `not asleep in a syscall (state ${proc.state})`;
  const on = b.object ? `, on ${b.object}` : '';
  return `asleep in ${b.syscall}(${b.fd ?? ''}), wchan ${b.wchan}${on}`;
}

/** "fd 4" or "no descriptor". */
export function fdText(fd: number | null): string {
  return fd === null ? 'no descriptor' : `fd ${fd}`;
}

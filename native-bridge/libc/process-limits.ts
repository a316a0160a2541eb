/**
 * Resource limits, read from the kernel with prlimit(2) (for this process or
 * another, given ptrace-level access), so that a failure caused by one names
 * the limit and its value: "EAGAIN, RLIMIT_NPROC is 5".
 */
import { libc } from './libc';

/* <sys/resource.h> */
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
const RLIM_INFINITY = 0xffffffffffffffffn;

const prlimit = libc().func('int prlimit(int pid, int resource, void *newLimit, _Out_ uint8_t *oldLimit)') as (
  pid: number,
  resource: number,
  newLimit: null,
  oldLimit: Uint8Array,
) => number;

/** The soft limit of `pid` (0: this process) as text ("48", "unlimited"); null when it cannot be read. */
export function softLimit(resource: number, pid = 0): string | null {
  const limit = new Uint8Array(16);
  if (prlimit(pid, resource, null, limit) !== 0) return null;
  const soft = new DataView(limit.buffer).getBigUint64(0, true);
  return soft === RLIM_INFINITY ? 'unlimited' : String(soft);
}

/**
 * "EAGAIN, RLIMIT_NPROC is 5" for an errno a resource limit explains, plain
 * "EAGAIN" otherwise. `pid` is the process whose limit applies (0: this one).
 */
export function errnoWithLimit(errno: string, pid = 0): string {
  const resource = errno === 'EAGAIN' ? RLIMIT_NPROC : errno === 'EMFILE' ? RLIMIT_NOFILE : null;
  if (errno === 'ENFILE') return `${errno}, the system-wide table of open files is full (fs.file-max)`;
  if (resource === null) return errno;
  const value = softLimit(resource, pid);
  const name = resource === RLIMIT_NPROC ? 'RLIMIT_NPROC' : 'RLIMIT_NOFILE';
  return value === null ? errno : `${errno}, ${name} is ${value}`;
}

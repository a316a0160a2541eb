/**
 * A process's total CPU time, all threads included, through the CPU-time
 * clock Linux gives every process (clock_getcpuclockid(3)): one syscall, no
 * file to open and nothing held. A Sampler compares it between ticks to tell
 * whether a process has been on a CPU at all since.
 */
import { libc } from './libc';

const clockGettime = libc().func('int clock_gettime(int clockid, _Out_ uint8_t *ts)') as (clockid: number, ts: Uint8Array) => number;
const timespec = Buffer.alloc(16);
/* the same bytes as 32-bit words: tv_sec = [0] + [1] * 2^32, tv_nsec = [2] (little-endian x86_64); no BigInt made per call */
const words = new Uint32Array(timespec.buffer, timespec.byteOffset, 4);

/* MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) from include/linux/posix-timers.h: (~pid << 3) | 2 */
const CPUCLOCK_SCHED = 2;
const PID_MAX_LIMIT = 4 * 1024 * 1024;

/**
 * CPU time in ns (seconds x 1e9 + ns: exact below ~104 days of CPU, and
 * within a few ns above, far below what one wake-up costs), or null when the
 * process does not exist.
 */
export function processCpuNs(pid: number): number | null {
  // PID_MAX_LIMIT is 2^22: larger values would not fit the clock id (and 0 would name our own clock)
  if (!Number.isInteger(pid) || pid <= 0 || pid > PID_MAX_LIMIT) return null;
  if (clockGettime((~pid << 3) | CPUCLOCK_SCHED, timespec) !== 0) return null;
  return (words[0]! + words[1]! * 2 ** 32) * 1e9 + words[2]!;
}

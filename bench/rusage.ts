/**
 * CPU time used by reaped children, from getrusage(RUSAGE_CHILDREN): lets a
 * tool's CPU time (lsof, ss, the cold CLI) be compared with the in-process
 * snapshot's process.cpuUsage(), which stays meaningful on a loaded machine
 * where wall times stretch with the run queue.
 */
import { libc } from '../native-bridge/libc/libc';

/* struct rusage on x86_64: ru_utime {tv_sec, tv_usec} @0, ru_stime @16; 144 bytes in all */
const RUSAGE_SIZE = 144;
const RUSAGE_CHILDREN = -1;

const getrusage = libc().func('int getrusage(int who, _Out_ uint8_t *usage)') as (who: number, usage: Uint8Array) => number;

/** User + system CPU time of all waited-for children so far, in ms. */
export function childrenCpuMs(): number {
  const buffer = new Uint8Array(RUSAGE_SIZE);
  if (getrusage(RUSAGE_CHILDREN, buffer) !== 0) return NaN;
  const view = new DataView(buffer.buffer);
  const micros = (offset: number): number => Number(view.getBigInt64(offset, true)) * 1e6 + Number(view.getBigInt64(offset + 8, true));
  return (micros(0) + micros(16)) / 1000;
}

/**
 * What moved between two frames of an observation, from the kernel's
 * cumulative /proc/PID/io counters (ProcessInfo.io): a write read within
 * microseconds never shows as queued bytes, but it moves these counters.
 */

export interface TrafficEntry {
  pid: number;
  /** read: rchar/syscr grew; write: wchar/syscw grew. */
  direction: 'read' | 'write';
  bytes: number;
  calls: number;
  /** Time between the two samples compared (ms): bytes / intervalMs is the rate. */
  intervalMs: number;
  /**
   * "descriptor": the process held exactly one descriptor able to move data
   * this way, on an IPC object, the same at both samples: the bytes went
   * through it (`fd`, `object`). "process": the count is the whole process's
   * (any descriptor, files and terminals too): shown as a per-process rate.
   */
  via: 'descriptor' | 'process';
  fd?: number;
  object?: string;
}

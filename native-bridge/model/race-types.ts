/**
 * What the IPC race lesson measured in this run (lessons/race/ipc-race.ts), as it
 * travels in the frame's lesson view: one entry per mechanism that has run.
 * Nothing here is stored between runs; the renderer draws the chart from it.
 */
export type RaceMechanismId = 'pipe' | 'fifo' | 'unix' | 'tcp' | 'msgq' | 'mq' | 'shm';

export interface RaceEntry {
  mechanism: RaceMechanismId;
  /** The mechanism could not carry this message size: the limit's name and value as the kernel has them, and the errno it gave. */
  skipped: { limit: string; value: number; refusedWith: string | null } | null;
  /** Checked pass: payload bytes sent and received, FNV-1a 32 (hex) of each side. */
  bytesSent: number;
  bytesReceived: number;
  checksumSent: string;
  checksumReceived: string;
  /** Timed pass: messages × size over the sender's clock, first send to the echo's acknowledgement. */
  bytesPerSecond: number;
  seconds: number;
  /** Ping-pong of one message, microseconds. */
  rttMedianUs: number;
  rttP95Us: number;
  /** Calls the two loops made per message in the timed pass (sender + receiver), counted by the loops. */
  syscallsPerMessage: number;
  /** Times the two processes slept waiting for each other per message in the timed pass (voluntary_ctxt_switches, /proc/thread-self/status). */
  sleepsPerMessage: number;
  /** Copies of the payload per message: through the kernel (copy in + copy out) and in user space (memcpy). */
  kernelCopies: number;
  userCopies: number;
  /** Every message arrived in order in the timed pass and every echo came back in order. */
  inOrder: boolean;
}

export interface RaceResult {
  /** Bytes per message. */
  size: number;
  /** Messages per pass and per mechanism. */
  messages: number;
  /** Ping-pong round trips per mechanism. */
  rounds: number;
  entries: RaceEntry[];
}

/**
 * The answer to the command "processes.list": the rows of the process picker.
 * Names and command lines are whatever the processes set: untrusted text, to
 * be shown as text only.
 */

/** Most rows one answer carries; `total` says how many matched. */
export const PROCESS_LIST_MAX_ROWS = 300;
/** Longest query the picker may send. */
export const PROCESS_QUERY_MAX = 100;
/** A command line is cut to this many characters (the kernel allows megabytes). */
export const CMDLINE_MAX = 240;

export interface ProcessRow {
  pid: number;
  ppid: number;
  /** /proc/PID/comm (at most 15 bytes, set by the process itself). */
  comm: string;
  /** /proc/PID/cmdline, NUL separators shown as spaces, cut to CMDLINE_MAX; empty for kernel threads. */
  cmdline: string;
  uid: number | null;
  /** User name from /etc/passwd, or the uid as text when it has none. */
  user: string;
  /**
   * IPC objects the process holds: from the picture's own snapshot while the whole machine is observed (descriptors
   * and mappings), else from its descriptors' links (pipes, sockets, FIFOs, POSIX queues and shm); null when unreadable.
   */
  ipcObjects: number | null;
  /** False when its descriptors cannot be read (another user's process); `unreadable` says what failed. */
  readable: boolean;
  unreadable?: string;
  /** True for ipcscope's own engine process. */
  self: boolean;
}

export interface ProcessList {
  /** Rows matching the query, those with more query words as whole words first, then by PID; at most PROCESS_LIST_MAX_ROWS. */
  rows: ProcessRow[];
  /** How many processes matched (may exceed rows.length). */
  total: number;
  /** Processes on the machine when listed. */
  scanned: number;
  /** Whether the engine can read other users' descriptors (it runs as root). */
  root: boolean;
  takenAt: number;
}

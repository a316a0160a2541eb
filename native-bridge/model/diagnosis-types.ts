/**
 * What `native-bridge/diagnose/` concludes from one Snapshot: a named problem,
 * the processes and objects it involves, and the kernel's evidence in words.
 * Part of the JSON contract (`ipcscope snapshot --json`, `diagnoses`).
 */

export type DiagnosisKind =
  /** A cycle of blocked processes, each waiting on an object only the next one can satisfy. */
  | 'deadlock'
  /** A reader of an empty pipe whose remaining write ends are held only by itself or by other readers of it. */
  | 'never-eof'
  /** A writer asleep on a full pipe or socket whose readers are all asleep elsewhere. */
  | 'blocked-writer'
  /** A System V object nobody attaches or uses any more, its creator (or last user) gone. */
  | 'orphaned-sysv'
  /** A listening socket with more connections waiting for accept() than its backlog allows. */
  | 'backlog-full';

/** A descriptor a diagnosis points at (the forgotten write end of a pipe). */
export interface DiagnosisDescriptor {
  pid: number;
  fd: number;
  object: string;
}

export interface Diagnosis {
  kind: DiagnosisKind;
  /** PIDs involved, in the order the evidence names them (a deadlock: around the ring). */
  processes: number[];
  /** Object ids involved ("pipe:4614", "shm:32768"). */
  objects: string[];
  /** One sentence per fact: who waits in which syscall on what, who holds the other end. */
  evidence: string[];
  /** never-eof: the write ends that keep the reader from seeing EOF. */
  descriptors?: DiagnosisDescriptor[];
}

/**
 * What `native-bridge/diagnose/` concludes from one Snapshot: a named problem,
 * the processes and objects it involves, and the kernel's evidence, both as
 * structured facts (`facts`, which the renderer words in the learner's
 * language) and as English sentences (`evidence`, what the CLI prints).
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
  | 'backlog-full'
  /**
   * A reader asleep on an empty pipe whose write ends no process shown holds,
   * while the kernel has one open (PipeObject.hiddenWriters): held in a
   * process this view does not show. Not a claim that it is stuck: that
   * process may yet write or close it.
   */
  | 'hidden-writer'
  /** The same for a writer asleep on a full pipe whose read ends no process shown holds (PipeObject.hiddenReaders). */
  | 'hidden-reader';

/** A descriptor a diagnosis points at (the forgotten write end of a pipe). */
export interface DiagnosisDescriptor {
  pid: number;
  fd: number;
  object: string;
}

/** Where a process sleeps, as /proc/PID/syscall and /proc/PID/wchan show it (null when it is not asleep in a syscall). */
export interface SleepFact {
  syscall: string;
  fd: number | null;
  wchan: string;
  /** The object its descriptor names, when known. */
  object: string | null;
}

/** Why an object cannot end a wait now. */
export type WaitReason =
  /** read() on a pipe or FIFO with nothing queued */
  | 'pipe-empty'
  /** write() on a pipe or FIFO that is full (`queued` of `capacity` bytes) */
  | 'pipe-full'
  /** recv() on a stream socket with nothing queued */
  | 'socket-empty'
  /** send() on a stream socket whose peer's queue is full */
  | 'peer-full'
  /** connect() to a listener whose backlog is full */
  | 'backlog-full'
  /** flock()/fcntl() waiting for a lock on `path` */
  | 'lock'
  /** semop() waiting on a semaphore set */
  | 'semaphore';

/** A wait the wait-for graph can pin on known processes. */
export interface WaitFact {
  syscall: string;
  fd: number | null;
  object: string;
  reason: WaitReason;
  /** pipe-full: bytes queued and the pipe's capacity (null when unreadable). */
  queued?: number | null;
  capacity?: number | null;
  /** lock: the locked file's path (null when unknown). */
  path?: string | null;
}

/** What a process would have to hold to end a wait: a write end, a read end, the peer socket, the listener, the lock, or be the last to change the semaphores (sempid). */
export interface NeedsFact {
  end: 'write-end' | 'read-end' | 'peer' | 'listener' | 'lock' | 'sempid';
  /** end 'peer': the peer socket's object id. */
  peer?: string;
}

/** A process named in a fact: its PID and command name (null when outside the snapshot). */
export interface NamedProcess {
  pid: number;
  comm: string | null;
}

/** One fact of a diagnosis's evidence; `evidence[i]` is `facts[i]` in English. */
export type DiagnosisFact =
  /** deadlock: `pid` waits; only `wakers` (through their fd, null: no descriptor) could end it, and they sleep too (`itself`: only `pid` could). */
  | { fact: 'ring-member'; process: NamedProcess; wait: WaitFact; wakers: (NamedProcess & { fd: number | null })[]; needs: NeedsFact; itself: boolean }
  /** `process` is asleep in `wait` (a never-EOF reader; a blocked writer). */
  | { fact: 'waits'; process: NamedProcess; wait: WaitFact }
  /** never-eof: the write end `fd` still open in `process`, itself asleep reading `object`. */
  | { fact: 'forgotten-write-end'; process: NamedProcess; fd: number; object: string }
  /**
   * hidden-writer: no process shown holds a write end of `object`, yet the
   * kernel has one open (poll on a read end: no POLLHUP): in another PID
   * namespace, in a process whose descriptors cannot be read, or in flight in
   * a Unix socket's queue (SCM_RIGHTS).
   */
  | { fact: 'write-end-not-shown'; object: string }
  /** hidden-reader: the same for a read end of `object` (poll on a write end: no POLLERR). */
  | { fact: 'read-end-not-shown'; object: string }
  /** blocked-writer: `process` holds what `needs` names through `fd` but sleeps elsewhere (`sleep`; null: not in a syscall, `state`). */
  | { fact: 'reader-elsewhere'; process: NamedProcess; needs: NeedsFact; fd: number | null; sleep: SleepFact | null; state: string }
  /** backlog-full: `object` (its bound name or local address) has `pending` connections waiting for accept(), more than `backlog`. */
  | { fact: 'backlog-over'; object: string; name: string | null; pending: number; backlog: number }
  /** backlog-full: `process` holds the listener; `sleep` where it is (null with `state` null: outside the snapshot). */
  | { fact: 'listener-holder'; process: NamedProcess; sleep: SleepFact | null; state: string | null }
  /** backlog-full: `process` is asleep in connect() on the listener. */
  | { fact: 'connecting'; process: NamedProcess; sleep: SleepFact | null; state: string }
  /** orphaned-sysv: nobody uses `object` (shm: no attacher; msg: its messages and bytes; sem: its semaphores, no waiter). */
  | { fact: 'sysv-unused'; object: string; sysv: 'shm' | 'msg' | 'sem'; key: number; size?: number; messages?: number; bytes?: number; semaphores?: number }
  /**
   * orphaned-sysv: the processes that could still be using `object` are gone
   * and nothing removed it (IPC_RMID). shm: `creator` (shm_cpid) and `lastPid`
   * (shm_lpid, 0: none); msg: `lastSender`/`lastReceiver` (0: none); sem: `sempids`.
   */
  | { fact: 'sysv-users-gone'; object: string; sysv: 'shm' | 'msg' | 'sem'; creator?: number; lastPid?: number; lastSender?: number; lastReceiver?: number; sempids?: number[] };

export interface Diagnosis {
  kind: DiagnosisKind;
  /** PIDs involved, in the order the evidence names them (a deadlock: around the ring). */
  processes: number[];
  /** Object ids involved ("pipe:4614", "shm:32768"). */
  objects: string[];
  /** One English sentence per fact: who waits in which syscall on what, who holds the other end. */
  evidence: string[];
  /** The same evidence as data, one fact per sentence, for the renderer to word in any language. */
  facts: DiagnosisFact[];
  /** never-eof: the write ends that keep the reader from seeing EOF. */
  descriptors?: DiagnosisDescriptor[];
  /**
   * In a Sampler's frames: from when (ms since the epoch) the kernel shows
   * this state holding (see probe/sampler-diagnoses.ts). Absent in a one-shot
   * snapshot.
   */
  since?: number;
}

/**
 * In a Sampler's frames: a state a diagnose pass found that has not held
 * long enough yet to be published as a Diagnosis (probe/sampler-diagnoses.ts).
 */
export interface PendingDiagnosis {
  kind: DiagnosisKind;
  /** As in the Diagnosis it would become. */
  processes: number[];
  objects: string[];
  /** From when (ms since the epoch) the kernel shows it holding. */
  since: number;
  /** How long it has held as of the pass (Snapshot.diagnosedAt), in ms. */
  heldMs: number;
  /** How long it must hold to be published (ms). */
  confirmMs: number;
}

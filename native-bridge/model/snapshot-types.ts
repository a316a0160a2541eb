/**
 * The shape of one observation of the kernel: processes, the IPC objects they
 * reach, and who holds or waits on what. Engine, CLI and renderer all use these
 * types; the JSON field names are a public contract (`ipcscope snapshot --json`).
 */

import type { Diagnosis, PendingDiagnosis } from './diagnosis-types';

export type ObjectKind =
  | 'pipe'
  | 'fifo'
  | 'unix'
  | 'tcp'
  | 'udp'
  | 'shm'
  | 'msg'
  | 'sem'
  | 'posix_shm'
  | 'mqueue'
  | 'lock'
  | 'mmap';

/** Access mode of a descriptor: fdinfo `flags & 3` (0 r, 1 w, 2 rw). */
export type Access = 'r' | 'w' | 'rw';

/** What a blocked process is waiting for, in the words of the syscall it sits in. */
export type BlockedOp =
  | 'read'
  | 'write'
  | 'open'
  | 'accept'
  | 'connect'
  | 'recv'
  | 'send'
  | 'msgrcv'
  | 'msgsnd'
  | 'semop'
  | 'mq_receive'
  | 'mq_send'
  | 'wait'
  | 'sigwait'
  | 'sleep'
  | 'poll'
  | 'futex'
  | 'lock'
  | 'other';

export interface Blocked {
  op: BlockedOp;
  /** Syscall name from /proc/PID/syscall, e.g. "read", "openat". */
  syscall: string;
  syscallNr: number;
  /** First argument when it is a descriptor (read, write, recv ...), else null. */
  fd: number | null;
  /** Kernel function the task sleeps in (/proc/PID/wchan), e.g. "anon_pipe_read". */
  wchan: string;
  /** Object id this process waits on, when it can be named (e.g. "pipe:4614"). */
  object: string | null;
}

export interface FdEntry {
  fd: number;
  /** Object id ("pipe:4614", "unix:991"), or "file:<path>" / "other:<link>" for non-IPC descriptors. */
  object: string;
  access: Access;
  /** The raw readlink of /proc/PID/fd/N. */
  target: string;
}

export interface SignalSet {
  /** Signal names, e.g. ["SIGINT", "SIGTERM"]. */
  pending: string[];
  /** Pending for the whole process (ShdPnd). */
  sharedPending: string[];
  blocked: string[];
  ignored: string[];
  caught: string[];
}

/** /proc/PID/stat state letter. */
export type ProcessState = 'R' | 'S' | 'D' | 'T' | 't' | 'Z' | 'X' | 'I' | 'P' | 'W' | 'K' | '?';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  state: ProcessState;
  /** null when running or when the process is not waiting in a syscall we can name. */
  blocked: Blocked | null;
  fds: FdEntry[];
  /** Object ids this process maps (System V shm, POSIX shm). */
  maps?: string[];
  signals?: SignalSet;
  uid?: number;
  /** False when some of /proc/PID could not be read; `error` says why. */
  readable: boolean;
  error?: string;
  /** /proc/PID/io when it was read (own processes, or as root): absent otherwise. */
  io?: ProcessIo;
  /**
   * Whole-machine frames, a process that has not run for a while ("cold"):
   * when (ms since the epoch, the clock of `takenAt`) the kernel last
   * confirmed this state. It is checked on a slower cadence
   * (Snapshot.cadence) and shown as last read in between; `takenAt` when it
   * was checked for this frame. Absent: read at this frame (every process of
   * a PID or tree scope, and every process that ran recently).
   */
  checkedAt?: number;
  /**
   * Its descriptor table is not read yet (a process seen first while a burst
   * of new processes is read a budget at a time): `fds` is empty, not known
   * empty. Counted in Snapshot.unreadTables.
   */
  fdsUnread?: true;
  /** Set only when a wire frame cut `fds` (native-bridge/model/wire-frame.ts): how many descriptors the process has in all. */
  fdsTotal?: number;
  /** With `fdsTotal`: the descriptors left out of `fds`, counted by what they are open on and access. */
  fdsOmitted?: FdCount[];
}

/** Descriptors a wire frame left out: `kind` is the object kind ("pipe", "unix" ...) or "file" / "other". */
export interface FdCount {
  kind: string;
  access: Access;
  count: number;
}

/** Holders a wire frame left out, counted by the holding process's parent, command and access. */
export interface HolderCount {
  ppid: number;
  comm: string;
  access: Access;
  count: number;
}

/**
 * /proc/PID/io: what the whole process (every thread, living or exited) has
 * moved through read- and write-family calls since it started, cumulative,
 * counted by the kernel at each call: traffic no sample caught still shows.
 * Only calls through the VFS count: read/write on a socket do, send/recv and
 * sendmsg/recvmsg do not (measured: send() of 4 bytes leaves wchar as it was).
 */
export interface ProcessIo {
  /** Bytes returned by read-family calls (read, pread, readv, sendfile ...), from any descriptor. */
  rchar: number;
  /** Bytes accepted by write-family calls. */
  wchar: number;
  /** Read-family calls made, failed ones included. */
  syscr: number;
  /** Write-family calls made, failed ones included. */
  syscw: number;
}

export interface Holder {
  pid: number;
  fd: number;
  access: Access;
}

interface ObjectBase {
  /** "<kind>:<inode or id or name>" */
  id: string;
  kind: ObjectKind;
  holders: Holder[];
  /** Set only when a wire frame cut `holders` (native-bridge/model/wire-frame.ts): how many descriptors hold it in all. */
  holdersTotal?: number;
  /** With `holdersTotal`: the holders left out of `holders`, counted by parent, command and access. */
  holdersOmitted?: HolderCount[];
  /** Bytes waiting to be read, when the kernel tells; null when it does not. */
  queued?: number | null;
  /** Up to 256 queued bytes, base64, copied without consuming them. */
  peek?: string | null;
  /**
   * Set when this sample could not read the object from the kernel (its
   * source failed): why. The object still exists; its numbers are the last
   * ones read, or unknown. A reader must not take it for a change.
   */
  stale?: string;
  /**
   * Whole-machine frames, an object listed from a kernel-wide source (a
   * socket dump, /proc/locks, /dev/shm, the System V tables): when (ms, the
   * clock of `takenAt`) that source was last read. It is read again as soon
   * as a process that could change it has run, and at least every
   * `Snapshot.cadence.recheckMs` (probe/kind-cadence.ts); `takenAt` when it
   * was read for this frame. Absent in PID and tree scopes (read at every
   * frame) and for pipes read whenever a listed holder ran; a pipe with an
   * end held where no listed process shows it (hiddenWriters/hiddenReaders)
   * carries it, read again at least every recheckMs.
   */
  checkedAt?: number;
}

export interface PipeObject extends ObjectBase {
  kind: 'pipe' | 'fifo';
  inode: number;
  /** F_GETPIPE_SZ; null when no holder could be duplicated. */
  capacity: number | null;
  queued: number | null;
  /** FIFO path when known. */
  path?: string;
  /** Holders listed in `holders` with a read end (r or rw), and with a write end (w or rw). */
  readers: number;
  writers: number;
  /**
   * Set only when `writers` is 0: whether the kernel has a write end open
   * all the same, held where no descriptor table read here lists it (a
   * process of another PID namespace, a table not readable or not read yet,
   * a descriptor in flight in a socket's queue). From poll() on a read end:
   * POLLHUP only when no write end is open anywhere. The kernel says whether,
   * not how many. null: unknown (no end could be polled, or a FIFO reader
   * opened O_NONBLOCK before any writer, for which the kernel holds POLLHUP
   * back).
   */
  hiddenWriters?: boolean | null;
  /** Set only when `readers` is 0: the same for read ends, from POLLERR on a write end (no read end open anywhere). */
  hiddenReaders?: boolean | null;
}

export interface UnixSocketObject extends ObjectBase {
  kind: 'unix';
  inode: number;
  type: 'stream' | 'dgram' | 'seqpacket' | 'unknown';
  state: string;
  /** Object id of the other end, or null. */
  peer: string | null;
  /** Bound path; abstract names start with "@". */
  path?: string;
  queued: number | null;
  /** Listening sockets: connections waiting for accept(), and the backlog. */
  pending?: number;
  backlog?: number;
  /** Descriptors sent with SCM_RIGHTS waiting in the receive queue (fdinfo `scm_fds`); absent when none. */
  inFlightFds?: number;
}

export interface InetSocketObject extends ObjectBase {
  kind: 'tcp' | 'udp';
  inode: number;
  family: 'inet' | 'inet6';
  state: string;
  local: string;
  remote: string;
  /** Receive queue (bytes waiting to be read). */
  queued: number | null;
  sendQueue: number | null;
  peer: string | null;
  pending?: number;
  backlog?: number;
  /**
   * LISTEN: the clients on this machine whose connections wait in its accept
   * queue: the kernel finished the handshake, no accept() took them, so no
   * process holds their server side (sock_diag lists it with inode 0).
   */
  acceptQueue?: string[];
  /** A client whose connection waits in `peer`'s accept queue (peer is that listener, not a socket a process holds). */
  peerInAcceptQueue?: boolean;
}

export interface ShmObject extends ObjectBase {
  kind: 'shm';
  shmid: number;
  key: number;
  size: number;
  nattch: number;
  /** PIDs that map the segment (from /proc/PID/maps). */
  attached: number[];
  /** PID -> address where the segment is mapped ("0x7f..."), for the attachers whose maps were scanned. */
  mappedAt?: Record<string, string>;
  /** uid of the owner (ipc_perm.uid, as /proc/sysvipc shows it). */
  owner: number;
  /** The owner's user name from /etc/passwd, as ipcs prints it; absent for a uid with no name. */
  ownerName?: string;
  mode: number;
  cpid: number;
  lpid: number;
  markedForDeletion: boolean;
}

export interface MsgQueueObject extends ObjectBase {
  kind: 'msg';
  msqid: number;
  key: number;
  messages: number;
  bytes: number;
  maxBytes: number;
  /** uid of the owner (ipc_perm.uid, as /proc/sysvipc shows it). */
  owner: number;
  /** The owner's user name from /etc/passwd, as ipcs prints it; absent for a uid with no name. */
  ownerName?: string;
  mode: number;
  lastSender: number;
  lastReceiver: number;
  /** First messages, copied with MSG_COPY (not removed). */
  firstMessages?: { type: number; bytes: number; peek: string }[];
  waitingSenders: number[];
  waitingReceivers: number[];
  /** pid -> the msgtyp a waiting receiver asked for (arg3 of /proc/PID/syscall): 0 any, > 0 that type, < 0 the lowest type up to |msgtyp|. */
  receiverTypes?: Record<string, number>;
}

export interface SemaphoreValue {
  value: number;
  waitingForIncrease: number;
  waitingForZero: number;
  /** sempid: last process to operate on this semaphore. */
  lastPid: number;
}

export interface SemSetObject extends ObjectBase {
  kind: 'sem';
  semid: number;
  key: number;
  /** uid of the owner (ipc_perm.uid, as /proc/sysvipc shows it). */
  owner: number;
  /** The owner's user name from /etc/passwd, as ipcs prints it; absent for a uid with no name. */
  ownerName?: string;
  mode: number;
  semaphores: SemaphoreValue[];
  /** PIDs blocked in semop on this set. */
  waiting: number[];
  /** The operations each waiting PID asked semop for (its sembufs, from its memory), when they could be read. */
  waitOps?: SemWaitOp[];
}

/** One sembuf of a process asleep in semop: sem_op 0 waits for zero, a negative one for the value to increase. */
export interface SemWaitOp {
  pid: number;
  num: number;
  op: number;
}

export interface PosixShmObject extends ObjectBase {
  kind: 'posix_shm';
  name: string;
  path: string;
  size: number | null;
  attached: number[];
}

export interface MqueueObject extends ObjectBase {
  kind: 'mqueue';
  name: string;
  /** Payload bytes queued (QSIZE); null when no mqueue filesystem is mounted. */
  queued: number | null;
  messages: number | null;
  maxMessages: number | null;
  messageSize: number | null;
}

/** One line of /proc/locks: a lock held, or (among `waiters`) one asked for and waited on. */
export interface FileLock {
  /** FLOCK (flock), POSIX (fcntl F_SETLK/F_SETLKW), OFDLCK (fcntl F_OFD_SETLK/F_OFD_SETLKW); LEASE and others as the kernel writes them. */
  type: string;
  /** READ or WRITE (shared or exclusive). */
  mode: string;
  /** The PID /proc/locks gives; null for OFD locks (it writes -1: they belong to an open file, not a process). */
  pid: number | null;
  /** Byte range, inclusive; end null = to the end of the file (EOF). */
  start: number;
  end: number | null;
}

/** The advisory locks on one file (/proc/locks, and the holders' fdinfo `lock:` lines). */
export interface FileLockObject extends ObjectBase {
  kind: 'lock';
  /** The locked file's device as /proc/locks writes it ("fe:00": major:minor, hex). */
  device: string;
  inode: number;
  /** The file's path, from a holder's or waiter's descriptor, when one was seen. */
  path?: string;
  locks: FileLock[];
  /** Lock requests blocked behind `locks` (the "->" lines). */
  waiters: FileLock[];
  /** Scanned PIDs asleep in flock() / fcntl(F_SETLKW, F_OFD_SETLKW) on this file. */
  waiting: number[];
}

/** One process's shared mapping of a file, as its /proc/PID/maps line gives it. */
export interface FileMappingRange {
  pid: number;
  /** Start and end addresses, hex without "0x" (the maps line's first column). */
  start: string;
  end: string;
  /** e.g. "rw-s": readable, writable, shared. */
  perms: string;
  /** Offset in the file of the first mapped byte. */
  offset: number;
}

/** A regular file that scanned processes map MAP_SHARED (/proc/PID/maps), with the descriptors open on it. */
export interface MappedFileObject extends ObjectBase {
  kind: 'mmap';
  /** The file's device as /proc/PID/maps and /proc/locks write it ("fe:00": major:minor, hex). */
  device: string;
  inode: number;
  /** The path in the maps line (" (deleted)" once unlinked). */
  path: string;
  /** st_size; null when the file could not be stat'ed. */
  size: number | null;
  mappings: FileMappingRange[];
  /** PIDs with at least one shared mapping of it. */
  attached: number[];
}

export type IpcObject =
  | PipeObject
  | UnixSocketObject
  | InetSocketObject
  | ShmObject
  | MsgQueueObject
  | SemSetObject
  | PosixShmObject
  | MqueueObject
  | FileLockObject
  | MappedFileObject;

/** A process that could not be (fully) read: it never stops the snapshot. */
export interface ProbeProblem {
  pid: number;
  reason: string;
}

export interface Snapshot {
  /** Milliseconds since the epoch when sampling started. */
  takenAt: number;
  /** How long sampling took, in milliseconds. */
  durationMs: number;
  processes: ProcessInfo[];
  objects: IpcObject[];
  problems: ProbeProblem[];
  /** Problems found in this state (native-bridge/diagnose): absent when not computed. */
  diagnoses?: Diagnosis[];
  /**
   * What a Sampler's diagnose pass found but has not yet seen hold long
   * enough to publish in `diagnoses` (probe/sampler-diagnoses.ts). Absent
   * when not computed.
   */
  diagnosesPending?: PendingDiagnosis[];
  /**
   * A Sampler diagnoses on its own cadence (probe/sampler-diagnoses.ts): when
   * the pass that computed `diagnoses` checked the kernel (at or after the
   * `takenAt` of the sample it diagnosed). Absent when not computed.
   */
  diagnosedAt?: number;
  /**
   * Whole-machine frames: a process whose CPU clock has not moved for
   * `coldAfterMs` is checked once every `recheckMs` (probe/cold-cadence.ts),
   * and shown in between as last confirmed (ProcessInfo.checkedAt).
   */
  cadence?: { coldAfterMs: number; recheckMs: number };
  /**
   * Descriptor tables this snapshot has not read yet, while a burst of new
   * processes is read a budget at a time (probe/process/table-budget.ts):
   * `inScope` processes listed with `fdsUnread`, and `outside` processes
   * outside the scope whose holders of the scope's objects are not listed
   * yet. Absent when every table is read.
   */
  unreadTables?: { inScope: number; outside: number };
}

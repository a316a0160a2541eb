/**
 * Internal shapes shared by the probe's parts. The process scanner fills a
 * ScannedProcess per PID; each kind probe (pipes, sockets, System V, POSIX)
 * turns the scan into objects and tells which descriptor targets it owns.
 */
import type { Access, IpcObject, ProcessState, SignalSet } from '../model/snapshot-types';
import type { SysvTable, SysvTableSource } from './kinds/sysv/sysvipc-table';
import type { UnixConnectTarget } from './blocked/unix-connect';

export interface ScannedFd {
  fd: number;
  /** readlink of /proc/PID/fd/N, e.g. "pipe:[4614]", "socket:[991]", "/tmp/f". */
  target: string;
  /** Inode for pipe:[N] / socket:[N], or the stat inode of a path target when it was stat'ed. */
  inode: number | null;
  access: Access;
  /** For path targets that were stat'ed: the file type from st_mode. */
  fileType?: 'fifo' | 'file' | 'dir' | 'char' | 'block' | 'socket' | 'link' | 'other';
  /** Device number of the file (st_dev) for path targets that were stat'ed. */
  dev?: number;
}

export interface MapsEntry {
  /** Start address in hex, without "0x" (the first column's "7f3a...-7f3b..."): where a System V segment is read in /proc/PID/mem. */
  start: string;
  /** e.g. "rw-s" */
  perms: string;
  /** inode column: for System V shm this is the shmid. */
  inode: number;
  /** path column, e.g. "/SYSV0000162e (deleted)" or "/dev/shm/name". */
  path: string;
}

export interface ScannedProcess {
  pid: number;
  ppid: number;
  comm: string;
  state: ProcessState;
  uid: number | null;
  /** /proc/PID/wchan, "" when it reads 0 or cannot be read. */
  wchan: string;
  /** /proc/PID/syscall: number, or -1 when not in a syscall / "running" / unreadable. */
  syscallNr: number;
  /** Syscall arguments (up to 6), as read from /proc/PID/syscall. */
  syscallArgs: bigint[];
  fds: ScannedFd[];
  /** Shared mappings only (System V and POSIX shm), null when maps were not read. */
  maps: MapsEntry[] | null;
  signals: SignalSet | null;
  readable: boolean;
  error?: string;
  /** Set while the process sleeps in connect() on a Unix listener whose backlog is full: the address it connects to. */
  unixConnect?: UnixConnectTarget | null;
}

/** The most queued bytes any probe copies (the snapshot model's `peek` holds up to 256). */
export const MAX_PEEK_BYTES = 256;

export interface ProbeOptions {
  /** Copy up to this many queued bytes of pipes/sockets/queues without consuming them (0 = off). Max 256. */
  peekBytes: number;
  /** Read /proc/PID/maps (needed for shm attachers). */
  readMaps: boolean;
  /** Read signal masks from /proc/PID/status. */
  readSignals: boolean;
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = { peekBytes: 256, readMaps: true, readSignals: true };

/** Who holds a descriptor target ("pipe:[4614]") across the scanned processes. */
export interface HolderRef {
  pid: number;
  fd: number;
  access: Access;
  scanned: ScannedFd;
}

export interface ProbeContext {
  processes: Map<number, ScannedProcess>;
  /** Descriptor target -> holders, over every scanned process. */
  holdersByTarget: Map<string, HolderRef[]>;
  options: ProbeOptions;
  /** True for a whole-machine snapshot: kind probes then report every object they can see. */
  wholeMachine: boolean;
  /** Descriptor targets already named by an earlier kind probe of this snapshot. */
  claimed: Set<string>;
  /**
   * Processes that have not been on a CPU since this Sampler's previous sample
   * (CPU time unchanged): nothing they hold can have changed through them.
   */
  idle?: Set<number>;
  /**
   * Whole-machine mode with the cold cadence (cold-cadence.ts): the sample's
   * time and the re-check period. What changes with no listed process running
   * (a pipe end held where no listed process shows it) is read again at least
   * this often, and carries when it was read (IpcObject.checkedAt).
   */
  recheck?: { now: number; ms: number };
  /** Where /proc/sysvipc tables are read from (a Sampler keeps them open); default: open, read, close. */
  readSysvTable?: SysvTableSource;
}

export interface KindProbeResult {
  objects: IpcObject[];
  /**
   * Descriptor target -> object id for the targets this probe recognised
   * (e.g. "socket:[991]" -> "unix:991"). The snapshot uses it to name fds.
   */
  targets: Map<string, string>;
  /** What this probe could not read this time while still reporting the rest (a socket sock_diag refused). */
  problems?: string[];
  /**
   * PID -> object id it waits on, for a blocked process whose syscall names
   * no descriptor of that object (connect() waits on a listener while
   * holding only its own socket).
   */
  waits?: Map<number, string>;
}

export interface KindProbe {
  name: string;
  /**
   * Set by a probe that, in a PID scope, reports only objects some scanned
   * process holds a descriptor of or maps, with a target (or mapped path) this
   * accepts, and keeps nothing from one collect to the next: a Sampler does
   * not call it while nothing held or mapped is accepted (a watch tick over a
   * pipe asks no POSIX or inet probe). Asked of descriptors that can be IPC
   * objects (isIpcCandidate) and of shared mappings.
   */
  readonly reaches?: (target: string) => boolean;
  /**
   * Set by a probe that lists every one of its objects from this
   * /proc/sysvipc table and keeps nothing between collects: a Sampler that
   * holds the table and knows it empty does not call it.
   */
  readonly sysvTable?: SysvTable;
  /**
   * Set by a probe that lists a kernel-wide source in whole-machine mode (a
   * socket dump, /proc/locks, a directory, a System V table): what can change
   * its answer when run. A process holding a descriptor (or a mapping) whose
   * target this accepts, or, for 'any process', any process. A whole-machine
   * Sampler shows the previous answer, with when it was read, while no such
   * process has run and no descriptor table changed, for at most the cold
   * cadence's recheck period (kind-cadence.ts): the network changes sockets
   * with no process running, and that period bounds how late it shows.
   */
  readonly changedThrough?: ((target: string) => boolean) | 'any process';
  collect(ctx: ProbeContext): KindProbeResult;
}

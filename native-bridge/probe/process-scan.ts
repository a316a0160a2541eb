/**
 * Scans one process: stat (comm, state, ppid), wchan, syscall, status (uid,
 * signal masks), its descriptor table and its shared mappings. A process we
 * may not fully read is still returned, with what could be read and why.
 */
import { readFileSync } from 'node:fs';
import type { ProbeOptions, MapsEntry, ScannedProcess } from './probe-types';
import type { ProcFileReader } from './proc-files';
import { parseStat, parseStatus, parseSyscall, parseWchan } from './proc-stat';
import { describeFsError, readFdTable } from './fd-table';
import { isFifoOpenWait, resolveFifoOpen, type FifoOpenTarget } from './fifo-open';
import { decodeStatusSignals } from './signals';

export interface ScanExtras {
  /** Set when the process waits in open() for the other end of a FIFO. */
  fifoOpen?: FifoOpenTarget | null;
  /**
   * /proc/PID/schedstat when it was read ("cpu ns, runqueue wait ns,
   * timeslices"): only for a single-threaded process, whose main thread is all
   * that can act.
   */
  schedstat?: string;
}

export type ScannedProcessWithExtras = ScannedProcess & ScanExtras;

export interface ScanRequest {
  options: ProbeOptions;
  /**
   * Re-read the slow-changing parts (descriptor table, maps, status). A Sampler
   * reuses the previous ones between refreshes; stat, wchan and syscall are
   * read every time.
   */
  readSlow: boolean;
  previous?: ScannedProcessWithExtras;
  /** Keep only descriptors that can be IPC objects (whole-machine scans). */
  ipcFdsOnly: boolean;
}

/**
 * Between full refreshes, a single-threaded process that has not been on a
 * CPU since the previous tick (its schedstat, which counts every timeslice,
 * reads the same) cannot have changed its syscall, wchan, state or anything it
 * holds: one 1.5 µs read instead of stat + wchan + syscall (~9 µs). schedstat
 * is per thread, so a process with more threads is always read in full (it
 * can only gain a thread by running). The one change this can miss is a
 * wakeup still waiting for a CPU (S shown until the task first runs).
 */
function unchangedSinceLastTick(pid: number, reader: ProcFileReader, request: ScanRequest): ScannedProcessWithExtras | null {
  const previous = request.previous;
  if (request.readSlow || !previous?.schedstat) return null;
  let now: string;
  try {
    now = reader.read(pid, 'schedstat');
  } catch {
    return null;
  }
  return now === previous.schedstat ? previous : null;
}

function readSchedstat(pid: number, reader: ProcFileReader): string | undefined {
  try {
    return reader.read(pid, 'schedstat');
  } catch {
    return undefined;
  }
}

/** Returns null when the process does not exist (any more). */
export function scanProcess(pid: number, reader: ProcFileReader, request: ScanRequest): ScannedProcessWithExtras | null {
  const unchanged = unchangedSinceLastTick(pid, reader, request);
  if (unchanged) return unchanged;
  // read before stat: a change after this read shows up at the next tick
  const schedstat = request.previous || !request.readSlow ? readSchedstat(pid, reader) : undefined;
  let statText: string;
  try {
    statText = reader.read(pid, 'stat');
  } catch {
    reader.drop(pid);
    return null;
  }
  const stat = parseStat(statText);
  if (!stat) return null;
  const problems: string[] = [];
  const scanned: ScannedProcessWithExtras = {
    pid,
    ppid: stat.ppid,
    comm: stat.comm,
    state: stat.state,
    uid: null,
    wchan: '',
    syscallNr: -1,
    syscallArgs: [],
    fds: [],
    maps: null,
    signals: null,
    readable: true,
  };
  if (schedstat !== undefined && stat.threads === 1) scanned.schedstat = schedstat;
  // Kernel threads (children of kthreadd, pid 2) have no descriptors, maps or syscalls.
  if (pid === 2 || stat.ppid === 2) return scanned;
  const sleeping = stat.state === 'S' || stat.state === 'D';
  if (sleeping) {
    try {
      scanned.wchan = parseWchan(reader.read(pid, 'wchan'));
    } catch (error) {
      problems.push(`wchan: ${describeFsError(error)}`);
    }
    try {
      const sys = parseSyscall(reader.read(pid, 'syscall'));
      scanned.syscallNr = sys.nr;
      scanned.syscallArgs = sys.args;
    } catch (error) {
      problems.push(`syscall: ${describeFsError(error)}`);
    }
  }
  const previous = request.readSlow ? undefined : request.previous;
  if (previous) {
    scanned.uid = previous.uid;
    scanned.signals = previous.signals;
    scanned.fds = previous.fds;
    scanned.maps = previous.maps;
  } else {
    readSlowParts(pid, reader, request, scanned, problems);
  }
  if (sleeping && isFifoOpenWait(scanned.syscallNr, scanned.wchan)) {
    scanned.fifoOpen = resolveFifoOpen(pid, scanned.syscallNr, scanned.syscallArgs);
  }
  if (problems.length > 0) {
    scanned.readable = false;
    scanned.error = problems.join('; ');
  }
  return scanned;
}

function readSlowParts(
  pid: number,
  reader: ProcFileReader,
  request: ScanRequest,
  scanned: ScannedProcessWithExtras,
  problems: string[],
): void {
  if (request.options.readSignals) {
    try {
      const status = parseStatus(reader.read(pid, 'status'));
      scanned.uid = status.uid;
      scanned.signals = decodeStatusSignals(status);
    } catch (error) {
      problems.push(`status: ${describeFsError(error)}`);
    }
  }
  const table = readFdTable(pid, request.ipcFdsOnly);
  scanned.fds = table.fds;
  if (table.error) problems.push(`fd: ${table.error}`);
  if (request.options.readMaps) {
    try {
      scanned.maps = readSharedMaps(pid);
    } catch (error) {
      problems.push(`maps: ${describeFsError(error)}`);
    }
  }
}

/**
 * Shared mappings from /proc/PID/maps: "addr perms offset dev inode path".
 * Only `s` (shared) lines are kept: System V segments (inode = shmid,
 * path "/SYSV<key> (deleted)") and POSIX shm ("/dev/shm/NAME").
 */
export function readSharedMaps(pid: number): MapsEntry[] {
  const text = readFileSync(`/proc/${pid}/maps`, 'latin1');
  const maps: MapsEntry[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    // perms is the second column; shared mappings have 's' as its 4th char
    const firstSpace = line.indexOf(' ');
    if (firstSpace < 0 || line.charCodeAt(firstSpace + 4) !== 115 /* s */) continue;
    const cols = line.split(/\s+/);
    const path = cols.slice(5).join(' ');
    if (!path.startsWith('/SYSV') && !path.startsWith('/dev/shm/')) continue;
    maps.push({ perms: cols[1] ?? '', inode: Number(cols[4] ?? 0), path });
  }
  return maps;
}

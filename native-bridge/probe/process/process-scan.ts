/**
 * Scans one process: stat (comm, state, ppid), wchan, syscall, status (uid,
 * signal masks), its descriptor table and its shared mappings. A process we
 * may not fully read is still returned, with what could be read and why.
 */
import { readFileSync } from 'node:fs';
import type { ProcessIo, ProcessState } from '../../model/snapshot-types';
import type { ProbeOptions, MapsEntry, ScannedProcess } from '../probe-types';
import type { ProcFileReader } from './proc-files';
import { parseStat, parseStatus, parseSyscall, parseWchan } from './proc-stat';
import { errnoWithLimit } from '../../libc/process-limits';
import { describeFsError, readFdTable, type KnownLink } from './fd-table';
import { isFifoOpenWait, resolveFifoOpen, type FifoOpenTarget } from '../blocked/fifo-open';
import { decodeStatusSignals, sameSignalSets } from './signals';
import { isUnixConnectWait, resolveUnixConnect } from '../blocked/unix-connect';

export interface ScanExtras {
  /** Set when the process waits in open() for the other end of a FIFO. */
  fifoOpen?: FifoOpenTarget | null;
  /**
   * The process's CPU time (all threads) read just before its stat, when the
   * scan was asked to track idleness: the next tick compares it to tell, with
   * one syscall, whether the process has run since.
   */
  cpuNs?: number;
  /** /proc/PID/io, when the Sampler reads it (it kept with the scan while the process does not run). */
  io?: ProcessIo;
  /** Its descriptor table (and maps, masks) not read yet: `fds` is empty (sampler-unread.ts). */
  fdsUnread?: boolean;
}

export type ScannedProcessWithExtras = ScannedProcess & ScanExtras;

export interface ScanRequest {
  options: ProbeOptions;
  /**
   * A previous scan whose slow-changing parts (descriptor table, maps,
   * status) are kept instead of read again: a Sampler between refreshes.
   * Stat, wchan and syscall are read every time.
   */
  reuse?: ScannedProcessWithExtras;
  /** Keep only descriptors that can be IPC objects (whole-machine scans). */
  ipcFdsOnly: boolean;
  /**
   * The process's CPU time, read by the caller just before this scan (a
   * Sampler's tick): kept in ScanExtras.cpuNs for the next tick to compare.
   */
  cpuNs?: number | null;
  /**
   * The descriptor links (number, target, access when known) the holder
   * search read for this process while its CPU clock read `cpuNs`: its
   * table, since it has not run. Only what they leave unknown is read.
   */
  links?: readonly KnownLink[] | null;
}

/* this process could not open a file at all: that says nothing about the other process, least of all that it is gone */
const NO_DESCRIPTOR = new Set(['EMFILE', 'ENFILE']);

/** A process that could not be read because this one had no descriptor free: listed, unreadable, with the reason. */
function unreadableForNoDescriptor(pid: number, error: unknown): ScannedProcessWithExtras | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !NO_DESCRIPTOR.has(code)) return null;
  const scanned = unreadScan(pid, 0, '', '?');
  scanned.readable = false;
  scanned.error = `cannot read /proc/${pid}/stat: ${errnoWithLimit(code)} (no descriptor free in this process)`;
  return scanned;
}

/**
 * A scan of `pid` with only its stat fields set: no wait, syscall,
 * descriptors, maps or signals read yet. Every scan starts from it (here and
 * sampler-unread.ts), so all share one shape.
 */
export function unreadScan(pid: number, ppid: number, comm: string, state: ProcessState): ScannedProcessWithExtras {
  return {
    pid,
    ppid,
    comm,
    state,
    uid: null,
    wchan: '',
    syscallNr: -1,
    syscallArgs: [],
    fds: [],
    maps: null,
    signals: null,
    readable: true,
  };
}

/** Returns null when the process does not exist (any more); an unreadable entry when no descriptor was free to read it. */
export function scanProcess(pid: number, reader: ProcFileReader, request: ScanRequest): ScannedProcessWithExtras | null {
  const cpuNs = request.cpuNs ?? null;
  let statText: string;
  try {
    statText = reader.read(pid, 'stat');
  } catch (error) {
    reader.drop(pid);
    return unreadableForNoDescriptor(pid, error);
  }
  const stat = parseStat(statText);
  if (!stat) return null;
  const problems: string[] = [];
  const scanned = unreadScan(pid, stat.ppid, stat.comm, stat.state);
  if (cpuNs !== null) scanned.cpuNs = cpuNs;
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
  const previous = request.reuse;
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
  if (sleeping && isUnixConnectWait(scanned.syscallNr, scanned.wchan)) {
    scanned.unixConnect = resolveUnixConnect(pid, scanned.syscallArgs);
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
  const table = readFdTable(pid, request.ipcFdsOnly, {
    procDir: reader.directoryOf?.(pid) ?? -1,
    heldFdDir: reader.heldFdDirectory?.(pid) ?? -1,
    skip: reader.ownDescriptors?.(pid),
    links: request.links ?? undefined,
  });
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
    const range = cols[0]!;
    maps.push({ start: range.slice(0, range.indexOf('-')), perms: cols[1] ?? '', inode: Number(cols[4] ?? 0), path });
  }
  return maps;
}

/**
 * A process that has not run since it was last read can still change in two
 * ways: its parent may die (a new ppid), and a signal it blocks may be left
 * pending. Re-reads stat and, when masks are shown, status; returns
 * `previous` itself when neither changed, a copy when one did, null when the
 * process is gone.
 */
export function refreshIdleProcess(pid: number, reader: ProcFileReader, previous: ScannedProcessWithExtras): ScannedProcessWithExtras | null {
  let stat: ReturnType<typeof parseStat>;
  let status: ReturnType<typeof parseStatus> | null = null;
  try {
    stat = parseStat(reader.read(pid, 'stat'));
    if (previous.signals) status = parseStatus(reader.read(pid, 'status'));
  } catch (error) {
    /* no descriptor free (EMFILE): no news, not gone; it has not run, so what was read last still holds */
    return unreadableForNoDescriptor(pid, error) ? previous : null;
  }
  if (!stat) return null;
  const signals = status ? decodeStatusSignals(status) : previous.signals;
  const same =
    stat.ppid === previous.ppid &&
    stat.state === previous.state &&
    stat.comm === previous.comm &&
    sameSignalSets(signals, previous.signals);
  if (same) return previous;
  return { ...previous, ppid: stat.ppid, state: stat.state, comm: stat.comm, signals, uid: status?.uid ?? previous.uid };
}

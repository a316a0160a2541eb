/**
 * The picker's light pass over /proc: for each process its stat (name,
 * parent), status (uid) and the links of its descriptors, nothing else (no
 * wchan, syscall, maps, sockets tables or peeking: the picture's probe reads
 * those, at a cost the picker need not pay). The IPC count is the number of
 * distinct IPC objects the links name: pipe and socket inodes, FIFOs (a path
 * whose target is a FIFO), POSIX message queues and shared memory.
 *
 * It yields to the event loop once it has read for LIGHT_SCAN_SLICE_MS, so
 * the session's frames keep coming while a thousand processes are listed.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { describeFsError } from '../probe/process/fd-table';
import { parseStat } from '../probe/process/proc-stat';

/** Longest the scan reads before it gives the event loop (the session's frames) a turn, ms. */
export const LIGHT_SCAN_SLICE_MS = 8;

export interface LightProcess {
  pid: number;
  ppid: number;
  comm: string;
  uid: number | null;
  /** Distinct IPC objects its descriptors name; null when they cannot be read. */
  ipcObjects: number | null;
  /** What failed, when its descriptors cannot be read. */
  error?: string;
}

/** The IPC object a descriptor's link names, or null for anything else (files, terminals, anon inodes). */
function ipcTarget(pid: number, fd: string, link: string): string | null {
  if (link.startsWith('pipe:[') || link.startsWith('socket:[')) return link;
  if (link.startsWith('/dev/mqueue/') || link.startsWith('/dev/shm/')) return link;
  if (!link.startsWith('/')) return null;
  try {
    /* a named pipe: the same FIFO opened twice is one object (its inode) */
    const stat = statSync(`/proc/${pid}/fd/${fd}`);
    return stat.isFIFO() ? `fifo:${stat.dev}:${stat.ino}` : null;
  } catch {
    return null;
  }
}

/** One process, or null when it is gone. */
export function lightProcess(pid: number): LightProcess | null {
  let stat;
  try {
    stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
  if (!stat) return null;
  let uid: number | null = null;
  try {
    const found = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    uid = found === undefined ? null : Number(found);
  } catch {
    /* gone meanwhile: the row says what was read */
  }
  const row: LightProcess = { pid, ppid: stat.ppid, comm: stat.comm, uid, ipcObjects: null };
  /* kernel threads (kthreadd, pid 2, and its children) hold no descriptors */
  if (pid === 2 || stat.ppid === 2) return { ...row, ipcObjects: 0 };
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    row.error = `fd: ${describeFsError(error)}`;
    return row;
  }
  const objects = new Set<string>();
  for (const fd of fds) {
    let link: string;
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; /* closed meanwhile */
    }
    const target = ipcTarget(pid, fd, link);
    if (target !== null) objects.add(target);
  }
  row.ipcObjects = objects.size;
  return row;
}

/** Every process on the machine, by PID, read in slices of at most LIGHT_SCAN_SLICE_MS between turns of the event loop. */
export async function lightScan(): Promise<LightProcess[]> {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  const rows: LightProcess[] = [];
  let sliceStart = performance.now();
  for (const pid of pids) {
    if (performance.now() - sliceStart >= LIGHT_SCAN_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const row = lightProcess(pid);
    if (row) rows.push(row);
  }
  return rows;
}

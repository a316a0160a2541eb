/**
 * The picker's light pass over /proc: for each process its stat (name,
 * parent), status (uid) and the links of its descriptors, nothing else (no
 * wchan, syscall, maps, sockets tables or peeking: the picture's probe reads
 * those, at a cost the picker need not pay). The IPC count is the number of
 * distinct IPC objects the links name: pipe and socket inodes, FIFOs (a path
 * whose target is a FIFO), POSIX message queues and shared memory; and the
 * shared memory it has mapped without a descriptor: a System V segment
 * attached with shmat holds no fd at all, and a POSIX segment stays mapped
 * after its fd is closed. Those show only in /proc/PID/maps (`/SYSV<key>`,
 * the inode column being the shmid; `/dev/shm/NAME`), which is read only
 * while the machine has such segments to find (mappedShmOnMachine), so a
 * machine without any pays nothing for it.
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

/**
 * Whether any process may have shared memory mapped: some System V segment
 * is attached (a nattch above 0 in /proc/sysvipc/shm) or /dev/shm holds a
 * name. Read once per scan. A POSIX segment unlinked while mapped is missed
 * when /dev/shm is then empty (it shows as "(deleted)" in maps only).
 */
export function mappedShmOnMachine(): boolean {
  try {
    const lines = readFileSync('/proc/sysvipc/shm', 'latin1').split('\n');
    /* columns: key shmid perms size cpid lpid nattch ... */
    for (let i = 1; i < lines.length; i++) if (Number(lines[i]!.trim().split(/\s+/)[6] ?? 0) > 0) return true;
  } catch {
    return true; /* not readable: look in each process's maps rather than say none */
  }
  try {
    return readdirSync('/dev/shm').length > 0;
  } catch {
    return false;
  }
}

/** Shared memory segments a maps text names: "sysv-shm:<shmid>" and the /dev/shm paths (as a descriptor's link names them). */
function mappedShm(maps: string, into: Set<string>): void {
  for (const line of maps.split('\n')) {
    const at = line.indexOf(' /');
    if (at < 0) continue;
    const path = line.slice(at + 1);
    if (path.startsWith('/SYSV')) {
      /* "addr perms offset dev inode   /SYSV0000abcd (deleted)": the inode column is the shmid */
      const shmid = line.slice(0, at).trim().split(/\s+/)[4];
      if (shmid !== undefined) into.add(`sysv-shm:${shmid}`);
    } else if (path.startsWith('/dev/shm/')) {
      into.add(path);
    }
  }
}

/**
 * One process, or null when it is gone. `readMaps`: also count the shared
 * memory it has mapped (see mappedShmOnMachine).
 */
export function lightProcess(pid: number, readMaps = true): LightProcess | null {
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
  if (readMaps) {
    try {
      mappedShm(readFileSync(`/proc/${pid}/maps`, 'latin1'), objects);
    } catch {
      /* gone meanwhile: its descriptors were counted */
    }
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
  const readMaps = mappedShmOnMachine();
  const rows: LightProcess[] = [];
  let sliceStart = performance.now();
  for (const pid of pids) {
    if (performance.now() - sliceStart >= LIGHT_SCAN_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const row = lightProcess(pid, readMaps);
    if (row) rows.push(row);
  }
  return rows;
}

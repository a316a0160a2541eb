/**
 * Advisory file locks as objects: one per locked file, from /proc/locks
 * (`N: FLOCK|POSIX|OFDLCK ADVISORY READ|WRITE PID MAJ:MIN:INODE START END`,
 * the requests waiting behind a lock as `N: -> ...` lines), the holders'
 * descriptors from their fdinfo `lock:` lines, and the processes asleep in
 * flock() (73, wchan locks_lock_inode_wait) or fcntl(F_SETLKW 7 /
 * F_OFD_SETLKW 38) (72, wchan fcntl_setlk) on it (KERNEL-FACTS).
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { Access, FileLock, FileLockObject, Holder } from '../../../model/snapshot-types';
import { describeSyscallWait } from '../../blocked/blocked';
import { native, O_CLOEXEC } from '../../../libc/libc';
import { readHeld } from '../../process/fast-fs';
import type { KindProbe, KindProbeResult, ProbeContext, ScannedProcess } from '../../probe-types';

/** One line of /proc/locks. */
interface LockLine extends FileLock {
  /** The file, as /proc/locks names it: "fe:00:2148058". */
  file: string;
  waiter: boolean;
}

/** /proc/locks text to its lines; anything not in the expected shape is skipped. */
export function parseProcLocks(text: string): LockLine[] {
  const out: LockLine[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2) continue;
    const waiter = f[1] === '->';
    const rest = waiter ? f.slice(2) : f.slice(1);
    // type, ADVISORY/MANDATORY (or a lease's ACTIVE/BREAKING), mode, pid, maj:min:inode, start, end
    if (rest.length < 7) continue;
    const [type, , mode, pidText, file, startText, endText] = rest as [string, string, string, string, string, string, string];
    const pid = Number(pidText);
    out.push({
      type,
      mode,
      pid: pid > 0 ? pid : null,
      file,
      start: Number(startText),
      end: endText === 'EOF' ? null : Number(endText),
      waiter,
    });
  }
  return out;
}

/** A device number (st_dev, glibc encoding) as /proc/locks writes it: "%02x:%02x" of MAJOR, MINOR. */
export function lockDevice(stDev: number): string {
  const major = (Math.floor(stDev / 256) & 0xfff) | (Math.floor(stDev / 2 ** 32) & ~0xfff);
  const minor = (stDev & 0xff) | (Math.floor(stDev / 4096) & 0xfff00);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

function lockId(file: string): string {
  return `lock:${file}`;
}

/** The file behind descriptor `fd` of `pid` as /proc/locks names it, and its path; null when gone. */
function fileOfFd(pid: number, fd: number): { file: string; path: string } | null {
  try {
    const st = statSync(`/proc/${pid}/fd/${fd}`);
    return { file: `${lockDevice(st.dev)}:${st.ino}`, path: readlinkSync(`/proc/${pid}/fd/${fd}`) };
  } catch {
    return null;
  }
}

const ACCESS: Access[] = ['r', 'w', 'rw'];

/** The access of `pid`'s `fd` when its fdinfo carries a `lock:` line (that open file holds a lock), else null. */
function lockingAccess(pid: number, fd: number): Access | null {
  let info: string;
  try {
    info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
  } catch {
    return null;
  }
  if (!/^lock:/m.test(info)) return null;
  /* fdinfo flags (octal) & 3: 0 r, 1 w, 2 rw */
  const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
  return flags === undefined ? 'rw' : (ACCESS[parseInt(flags, 8) & 3] ?? 'rw');
}

/* x86_64: flock 73; fcntl 72 with cmd F_SETLKW 7 or F_OFD_SETLKW 38 */
const SYS_FLOCK = 73;
const SYS_FCNTL = 72;
const F_SETLKW = 7;
const F_OFD_SETLKW = 38;

/** The descriptor a process asleep waiting for a file lock waits through; null when it does not. */
export function lockWaitFd(p: Pick<ScannedProcess, 'state' | 'syscallNr' | 'syscallArgs'>): number | null {
  if (p.state !== 'S' && p.state !== 'D') return null;
  const isLockWait = p.syscallNr === SYS_FLOCK || (p.syscallNr === SYS_FCNTL && [F_SETLKW, F_OFD_SETLKW].includes(Number(p.syscallArgs[1] ?? -1n)));
  if (!isLockWait) return null;
  return describeSyscallWait(p.syscallNr, p.syscallArgs, () => null).fd;
}

interface LockedFile {
  file: string;
  path?: string;
  locks: FileLock[];
  waiters: FileLock[];
  holders: Holder[];
  waiting: number[];
}

function stripLine({ type, mode, pid, start, end }: LockLine): FileLock {
  return { type, mode, pid, start, end };
}

/** Descriptors of `pid` on `file` whose fdinfo shows a lock: every descriptor is stat'ed (a process outside the scan). */
function lockingFdsOf(pid: number, file: string, into: LockedFile): void {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return;
  }
  for (const name of names) {
    const fd = Number(name);
    const found = fileOfFd(pid, fd);
    if (found?.file !== file) continue;
    const access = lockingAccess(pid, fd);
    if (access === null) continue;
    into.path ??= found.path;
    if (!into.holders.some((h) => h.pid === pid && h.fd === fd)) into.holders.push({ pid, fd, access });
  }
}

/**
 * Whether a scanned process can hold or wait for a lock: flock, fcntl and OFD
 * locks are all taken through a descriptor of the file (or directory), and a
 * POSIX lock is dropped when its process closes any descriptor of that file.
 * A PID scope with none needs no read of /proc/locks.
 */
function mayHoldLocks(ctx: ProbeContext): boolean {
  for (const p of ctx.processes.values()) {
    for (const fd of p.fds) if (fd.fileType === 'file' || fd.fileType === 'dir') return true;
  }
  return false;
}

function collect(ctx: ProbeContext, readLocks: () => string | null): KindProbeResult {
  if (!ctx.wholeMachine && !mayHoldLocks(ctx)) return { objects: [], targets: new Map() };
  // read on every tick (no descriptor says a lock exists): one open, read, close
  const text = readLocks();
  if (text === null) throw new Error('/proc/locks could not be read');
  const lines = parseProcLocks(text);
  if (lines.length === 0) return { objects: [], targets: new Map() };
  const files = new Map<string, LockedFile>();
  for (const line of lines) {
    let entry = files.get(line.file);
    if (!entry) {
      entry = { file: line.file, locks: [], waiters: [], holders: [], waiting: [] };
      files.set(line.file, entry);
    }
    (line.waiter ? entry.waiters : entry.locks).push(stripLine(line));
  }

  const inScope = new Set<string>();
  const waits = new Map<number, string>();
  for (const p of ctx.processes.values()) {
    // the scanned processes' descriptors on locked files: their fdinfo says whether they hold a lock
    for (const fd of p.fds) {
      if (fd.fileType !== 'file' || fd.inode === null || fd.dev === undefined) continue;
      const entry = files.get(`${lockDevice(fd.dev)}:${fd.inode}`);
      if (!entry || lockingAccess(p.pid, fd.fd) === null) continue;
      entry.path ??= fd.target;
      entry.holders.push({ pid: p.pid, fd: fd.fd, access: fd.access });
      inScope.add(entry.file);
    }
    const fd = lockWaitFd(p);
    if (fd === null) continue;
    const target = fileOfFd(p.pid, fd);
    const entry = target ? files.get(target.file) : undefined;
    if (!entry || !target) continue;
    entry.path ??= target.path;
    entry.waiting.push(p.pid);
    waits.set(p.pid, lockId(entry.file));
    inScope.add(entry.file);
  }
  for (const entry of files.values()) {
    if (ctx.wholeMachine || entry.locks.some((l) => l.pid !== null && ctx.processes.has(l.pid)) || entry.waiters.some((l) => l.pid !== null && ctx.processes.has(l.pid))) {
      inScope.add(entry.file);
    }
  }

  const objects: FileLockObject[] = [];
  for (const file of inScope) {
    const entry = files.get(file)!;
    // holders outside the scan: the PIDs /proc/locks names (OFD locks name none: found only through a scanned descriptor)
    for (const lock of entry.locks) {
      if (lock.pid !== null && !ctx.processes.has(lock.pid)) lockingFdsOf(lock.pid, file, entry);
    }
    entry.holders.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    entry.waiting.sort((a, b) => a - b);
    const colon = file.lastIndexOf(':');
    const object: FileLockObject = {
      id: lockId(file),
      kind: 'lock',
      holders: entry.holders,
      device: file.slice(0, colon),
      inode: Number(file.slice(colon + 1)),
      locks: entry.locks,
      waiters: entry.waiters,
      waiting: entry.waiting,
    };
    if (entry.path !== undefined) object.path = entry.path;
    objects.push(object);
  }
  return { objects, targets: new Map(), waits };
}

/**
 * The probe with /proc/locks kept open between collects: a pread from offset
 * 0 generates the file afresh (seq_file, fast-fs.ts readHeld). ~6 us against
 * ~29 us for open, read and close in a loop here, and ~13 against ~120 us at
 * 10 Hz, when each tick starts with cold caches; on the whole machine it is
 * read whenever any process ran (a lock is taken by a process that runs).
 */
export function createFileLockProbe(): KindProbe & { close(): void } {
  let fd = -1;
  const readLocks = (): string | null => {
    if (fd < 0) fd = native.open('/proc/locks', O_CLOEXEC, 0);
    if (fd < 0) return null;
    const text = readHeld(fd, false);
    if (text === null) {
      // a failed read: the next collect opens it again
      native.close(fd);
      fd = -1;
    }
    return text;
  };
  return {
    name: 'file-locks',
    changedThrough: 'any process',
    collect: (ctx) => collect(ctx, readLocks),
    close: () => {
      if (fd >= 0) native.close(fd);
      fd = -1;
    },
  };
}

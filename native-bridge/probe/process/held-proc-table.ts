/**
 * /proc/PID files and pidfds kept open between whole-machine snapshots, for
 * a process that takes one snapshot after another (the scan pool's). Opening
 * is most of what reading a small /proc file costs (the path walk, the pid
 * lookup, a new file): held open, stat, wchan and syscall (and status, when
 * signal masks are read) are re-read with one pread each, the descriptor
 * table through the held /proc/PID/fd, and a pipe's fill through the held
 * pidfd. Each read is the kernel's answer at that moment (what a process
 * that has not run since cannot have changed is not read again: see
 * idle-scans.ts).
 *
 * The table is indexed by pid in a SharedArrayBuffer, so the scan pool's
 * threads share it: descriptors belong to the whole process, and a file one
 * thread opened is read by whichever thread claims that process next time.
 * A snapshot gives each process to exactly one thread, and the owner
 * releases processes only between snapshots, so no slot is used by two
 * threads at once.
 *
 * A held file stays tied to the process it was opened for (its struct pid):
 * once that process is gone, reads fail with ESRCH, even if the pid has been
 * given to a new process, and the reader then opens afresh.
 */
import { readFileSync } from 'node:fs';
import { native } from '../../libc/libc';

export type HeldFile = 'stat' | 'wchan' | 'syscall' | 'status' | 'fd' | 'pidfd';

const SLOT: Record<HeldFile, number> = { stat: 0, wchan: 1, syscall: 2, status: 3, fd: 4, pidfd: 5 };
const SLOTS = 6;
/* header: [0] descriptors held, [1] at most this many, [2] pid max, [3] highest descriptor number + 1 */
const HELD = 0;
const BUDGET = 1;
const PID_MAX = 2;
const FD_LIMIT = 3;
const HEADER = 4;
/** PID_MAX_LIMIT on 64-bit kernels. */
const PID_LIMIT = 4 * 1024 * 1024;
/** Descriptors left for everything else the process opens. */
const RESERVED_DESCRIPTORS = 1024;

export class HeldProcTable {
  private readonly cells: Int32Array;
  /** Highest pid the table has a row for. */
  readonly pidMax: number;
  private readonly fdLimit: number;
  /** Where the bitmap of held descriptor numbers starts in `cells`. */
  private readonly bitmap: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new Int32Array(buffer);
    this.pidMax = this.cells[PID_MAX]!;
    this.fdLimit = this.cells[FD_LIMIT]!;
    this.bitmap = HEADER + (this.pidMax + 1) * SLOTS;
  }

  /**
   * A table for this machine's pid range that holds at most half of what the
   * descriptor limit leaves free (beyond that, processes are read with
   * open-read-close as before). The buffer's pages are only touched for the
   * pids in use.
   */
  static create(budget = defaultBudget()): HeldProcTable {
    const pidMax = Math.min(PID_LIMIT, readPidMax());
    const fdLimit = descriptorLimit();
    const cells = new Int32Array(new SharedArrayBuffer((HEADER + (pidMax + 1) * SLOTS + Math.ceil(fdLimit / 32)) * 4));
    cells[BUDGET] = Math.max(0, budget);
    cells[PID_MAX] = pidMax;
    cells[FD_LIMIT] = fdLimit;
    return new HeldProcTable(cells.buffer as SharedArrayBuffer);
  }

  /**
   * Whether descriptor `fd` of this process is one the table holds: such a
   * /proc file or pidfd is never an IPC object, and a whole-machine scan
   * skips it when it reads this process's own table (thousands of them at
   * a thousand processes). Set while the descriptor is open.
   */
  holdsDescriptor(fd: number): boolean {
    return fd >= 0 && fd < this.fdLimit && (Atomics.load(this.cells, this.bitmap + (fd >>> 5)) & (1 << (fd & 31))) !== 0;
  }

  private mark(fd: number, held: boolean): void {
    if (fd < 0 || fd >= this.fdLimit) return;
    if (held) Atomics.or(this.cells, this.bitmap + (fd >>> 5), 1 << (fd & 31));
    else Atomics.and(this.cells, this.bitmap + (fd >>> 5), ~(1 << (fd & 31)));
  }

  /** The held descriptor, or -1. */
  get(pid: number, file: HeldFile): number {
    return pid > 0 && pid <= this.pidMax ? this.cells[HEADER + pid * SLOTS + SLOT[file]]! - 1 : -1;
  }

  /**
   * Keeps `fd` for `pid`; false when the budget is spent or the pid is out of
   * range (the caller closes it). Other files are held only beside a held
   * stat: reading stat first at every snapshot is what proves the row still
   * belongs to the process it was opened for (see TableProcFiles).
   */
  hold(pid: number, file: HeldFile, fd: number): boolean {
    if (pid <= 0 || pid > this.pidMax || this.get(pid, file) >= 0) return false;
    if (file !== 'stat' && this.get(pid, 'stat') < 0) return false;
    if (Atomics.add(this.cells, HELD, 1) >= this.cells[BUDGET]!) {
      Atomics.sub(this.cells, HELD, 1);
      return false;
    }
    this.cells[HEADER + pid * SLOTS + SLOT[file]] = fd + 1;
    this.mark(fd, true);
    return true;
  }

  /** Closes everything held for `pid`. */
  release(pid: number): void {
    if (pid <= 0 || pid > this.pidMax) return;
    const row = HEADER + pid * SLOTS;
    for (let slot = 0; slot < SLOTS; slot++) {
      const fd = this.cells[row + slot]! - 1;
      if (fd < 0) continue;
      this.cells[row + slot] = 0;
      // unmarked before it is closed: a marked number is always one of ours
      this.mark(fd, false);
      native.close(fd);
      Atomics.sub(this.cells, HELD, 1);
    }
  }

  /** Descriptors held now. */
  get held(): number {
    return Atomics.load(this.cells, HELD);
  }
}

function readPidMax(): number {
  try {
    const value = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim());
    return Number.isInteger(value) && value > 0 ? value : PID_LIMIT;
  } catch {
    return PID_LIMIT;
  }
}

/** The soft limit on open descriptors (Node raises it to the hard limit at start-up). */
function descriptorLimit(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return !line || line[1] === 'unlimited' ? 1 << 20 : Math.min(1 << 24, Number(line[1]));
  } catch {
    return 1024;
  }
}

/** Half the descriptors the limit leaves beside RESERVED_DESCRIPTORS. */
function defaultBudget(): number {
  return Math.floor(Math.max(0, descriptorLimit() - RESERVED_DESCRIPTORS) / 2);
}

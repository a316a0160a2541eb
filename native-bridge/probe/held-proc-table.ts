/**
 * /proc/PID files and pidfds kept open between whole-machine snapshots, for
 * a process that takes one snapshot after another (the scan pool's). Opening
 * is most of what reading a small /proc file costs (the path walk, the pid
 * lookup, a new file): held open, stat, wchan and syscall are re-read with
 * (and status, when signal masks are read) with one pread each, the descriptor table through the held /proc/PID/fd, and a
 * pipe's fill through the held pidfd. Nothing read is kept: every snapshot
 * still reads every value afresh from the kernel.
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
import { native } from '../libc/libc';

export type HeldFile = 'stat' | 'wchan' | 'syscall' | 'status' | 'fd' | 'pidfd';

const SLOT: Record<HeldFile, number> = { stat: 0, wchan: 1, syscall: 2, status: 3, fd: 4, pidfd: 5 };
const SLOTS = 6;
/* header: [0] descriptors held, [1] at most this many */
const HELD = 0;
const BUDGET = 1;
const HEADER = 2;
/** PID_MAX_LIMIT on 64-bit kernels. */
const PID_LIMIT = 4 * 1024 * 1024;
/** Descriptors left for everything else the process opens. */
const RESERVED_DESCRIPTORS = 1024;

export class HeldProcTable {
  private readonly cells: Int32Array;
  /** Highest pid the table has a row for. */
  readonly pidMax: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new Int32Array(buffer);
    this.pidMax = (this.cells.length - HEADER) / SLOTS - 1;
  }

  /**
   * A table for this machine's pid range that holds at most half of what the
   * descriptor limit leaves free (beyond that, processes are read with
   * open-read-close as before). The buffer's pages are only touched for the
   * pids in use.
   */
  static create(budget = defaultBudget()): HeldProcTable {
    const pidMax = Math.min(PID_LIMIT, readPidMax());
    const table = new HeldProcTable(new SharedArrayBuffer((HEADER + (pidMax + 1) * SLOTS) * 4));
    table.cells[BUDGET] = Math.max(0, budget);
    return table;
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

/** Half the descriptors the soft limit leaves beside RESERVED_DESCRIPTORS (Node raises it to the hard limit). */
function defaultBudget(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    const limit = !line || line[1] === 'unlimited' ? 1 << 20 : Number(line[1]);
    return Math.floor(Math.max(0, limit - RESERVED_DESCRIPTORS) / 2);
  } catch {
    return 0;
  }
}

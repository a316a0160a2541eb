/**
 * Reads /proc/sysvipc/{shm,msg,sem}: one row per object, columns named by the
 * header line (KERNEL-FACTS "System V": key is in decimal, perms in octal).
 * Readable by every user, unlike IPC_STAT, so it is the list of record.
 */
import { native, O_CLOEXEC } from '../../../libc/libc';
import { readSmallFile } from '../../process/fast-fs';

export type SysvTable = 'shm' | 'msg' | 'sem';

/** One row: column name -> number (perms decoded from octal). */
export type SysvRow = Record<string, number>;

export function parseSysvTable(text: string): SysvRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift()?.trim().split(/\s+/) ?? [];
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    const row: SysvRow = {};
    header.forEach((name, i) => {
      const cell = cells[i] ?? '0';
      row[name] = name === 'perms' ? parseInt(cell, 8) : Number(cell);
    });
    return row;
  });
}

export function readSysvTable(table: SysvTable): SysvRow[] {
  const text = readSmallFile(`/proc/sysvipc/${table}`);
  return text === null ? [] : parseSysvTable(text);
}

/** The column, or 0 when absent (older kernels lack rss/swap). */
export function col(row: SysvRow, name: string): number {
  return row[name] ?? 0;
}

/** Reads one table: the one-shot readSysvTable, or a HeldSysvTables' read. */
export type SysvTableSource = (table: SysvTable) => SysvRow[];

/*
 * A seq_file read returns at most one kernel buffer (a page, 4 KB) of whole
 * rows. A read that leaves room for another row (rows are ~200 bytes) means
 * the table ended: no second read is needed to see 0.
 */
const ROOM_FOR_ANOTHER_ROW = 2048;

/**
 * Keeps /proc/sysvipc/{shm,msg,sem} open for a Sampler and re-reads them with
 * pread from offset 0 (the seq_file starts over): one syscall per table and
 * tick instead of open, read, read and close.
 */
export class HeldSysvTables {
  private readonly fds = new Map<SysvTable, number>();
  private buffer = Buffer.alloc(65536);
  /** When each table was last read and found empty. */
  private readonly emptyAt = new Map<SysvTable, number>();

  /**
   * `emptyRecheckMs`: a table found empty is read again only after this long
   * (the Sampler's descriptor-table period), or after forget(). A table with
   * rows is read on every call.
   */
  constructor(private readonly emptyRecheckMs = 0) {}

  /** The next read of every table goes to the kernel. */
  forget(): void {
    this.emptyAt.clear();
  }

  /** True while `table` was found empty less than the recheck period ago: read() answers [] without asking the kernel. */
  knownEmpty(table: SysvTable): boolean {
    const empty = this.emptyAt.get(table);
    return empty !== undefined && performance.now() - empty < this.emptyRecheckMs;
  }

  readonly read: SysvTableSource = (table) => {
    if (this.knownEmpty(table)) return [];
    const rows = this.rowsNow(table) ?? [];
    if (rows.length === 0) this.emptyAt.set(table, performance.now());
    else this.emptyAt.delete(table);
    return rows;
  };

  /** The table as the kernel has it now (whatever the empty-table period), or null when it cannot be read. */
  rowsNow(table: SysvTable): SysvRow[] | null {
    let fd = this.fds.get(table);
    if (fd === undefined) {
      fd = native.open(`/proc/sysvipc/${table}`, O_CLOEXEC, 0);
      if (fd < 0) return null;
      this.fds.set(table, fd);
    }
    let length = 0;
    for (;;) {
      if (length === this.buffer.length) this.buffer = Buffer.concat([this.buffer, Buffer.alloc(this.buffer.length)]);
      const got = native.pread(fd, this.buffer.subarray(length), this.buffer.length - length, length);
      if (got < 0 && length === 0) return null;
      if (got <= 0) break;
      length += got;
      if (got < ROOM_FOR_ANOTHER_ROW) break;
    }
    return parseSysvTable(this.buffer.toString('latin1', 0, length));
  }

  close(): void {
    for (const fd of this.fds.values()) native.close(fd);
    this.fds.clear();
  }
}

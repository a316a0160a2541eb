/**
 * Scans a share of a whole-machine snapshot's processes. The same code runs on
 * the calling thread and in each scan worker (scan-pool.ts), so a snapshot
 * scanned in parallel is the one a single thread would have taken. Besides
 * what scanProcess reads, each read end of a pipe or FIFO is measured here
 * (fill and capacity through a borrowed descriptor), so that work is shared
 * out too; PipeProbe uses these readings instead of borrowing again.
 */
import type { HeldProcTable } from '../process/held-proc-table';
import { PidfdTable, borrowThroughTable } from '../process/pidfd';
import { pipeKey, readPipeFill, UNREAD_PIPE, type ReadScannedFd } from '../kinds/pipes/pipe-reading';
import type { ProbeOptions, ScannedFd } from '../probe-types';
import { OneShotProcFiles, TableProcFiles, type ProcFileReader } from '../process/proc-files';
import { scanProcess, type ScannedProcessWithExtras } from '../process/process-scan';

/** Where a share's processes come from: the next chunk's first index, or -1 when none is left. */
export type ChunkClaim = () => number;

export interface Share {
  pids: ArrayLike<number>;
  chunkSize: number;
  claim: ChunkClaim;
  options: ProbeOptions;
  /** Each process scanned, by its index in `pids` (null: it exited). */
  take(index: number, scanned: ScannedProcessWithExtras | null): void;
  /** Files and pidfds kept open between snapshots (held-proc-table.ts); without it each is opened and closed. */
  table?: HeldProcTable | null;
}

/** Scans processes; keep one per thread and reuse it across snapshots. */
export class ShareScanner {
  private readonly oneShot = new OneShotProcFiles();
  private readonly pidfds = new PidfdTable();
  private table: HeldProcTable | null = null;
  private tableReader: TableProcFiles | null = null;
  /** Pipes measured during the current share: one reading per pipe and thread is enough. */
  private readonly measured = new Set<string>();

  /** Scans chunk after chunk until none is left; returns how many chunks this thread took. */
  scanShare(share: Share): number {
    this.measured.clear();
    this.useTable(share.table ?? null);
    const reader = this.tableReader ?? this.oneShot;
    let chunks = 0;
    try {
      for (let first = share.claim(); first >= 0; first = share.claim()) {
        chunks++;
        const end = Math.min(first + share.chunkSize, share.pids.length);
        for (let index = first; index < end; index++) share.take(index, this.scan(share.pids[index]!, share.options, reader));
      }
    } finally {
      this.oneShot.close();
      this.pidfds.close();
    }
    return chunks;
  }

  private useTable(table: HeldProcTable | null): void {
    if (table?.buffer === this.table?.buffer) return;
    this.table = table;
    this.tableReader = table ? new TableProcFiles(table) : null;
  }

  private scan(pid: number, options: ProbeOptions, reader: ProcFileReader): ScannedProcessWithExtras | null {
    const scanned = scanProcess(pid, reader, { options, ipcFdsOnly: true });
    if (scanned) this.measurePipes(pid, scanned.fds);
    return scanned;
  }

  /**
   * Borrows each read end for the few calls it takes (KERNEL-FACTS: a held
   * duplicate delays EOF/EPIPE). A pidfd is kept in the table, or closed
   * once the process is done.
   */
  private measurePipes(pid: number, fds: ScannedFd[]): void {
    let borrowed = false;
    for (const fd of fds) {
      if (fd.access === 'w') continue;
      const key = pipeKey(fd);
      if (key === null || this.measured.has(key)) continue;
      this.measured.add(key);
      borrowed = true;
      const reading = this.table ? borrowThroughTable(this.table, pid, fd.fd, readPipeFill) : this.pidfds.borrow(pid, fd.fd, readPipeFill);
      (fd as ReadScannedFd).pipeReading = reading ?? UNREAD_PIPE;
    }
    if (borrowed) this.pidfds.close();
  }
}

/**
 * A process of the scope seen for the first time while tables are read a
 * budget at a time (probe/process/table-budget.ts): its stat, wchan and
 * syscall are read at once, its descriptor table is left to the holder
 * search's passes (link-tables.ts), and the snapshot says so
 * (ProcessInfo.fdsUnread, Snapshot.unreadTables) until a pass has read it.
 */
import type { ProbeOptions } from './probe-types';
import type { ProcFileReader } from './process/proc-files';
import { scanProcess, unreadScan, type ScannedProcessWithExtras } from './process/process-scan';

/** What a scan keeps instead of reading the slow parts: nothing read yet. */
const TABLE_UNREAD = unreadScan(0, 0, '', '?');

/**
 * `pid` scanned without its descriptor table (fdsUnread), or `previous` itself
 * when that was such a scan and its CPU clock still reads `cpuNs`; null when
 * the process is gone.
 */
export function scanWithoutTable(
  pid: number,
  reader: ProcFileReader,
  options: ProbeOptions,
  cpuNs: number | null,
  previous: ScannedProcessWithExtras | undefined,
): ScannedProcessWithExtras | null {
  if (previous?.fdsUnread && cpuNs !== null && previous.cpuNs === cpuNs) return previous;
  const scanned = scanProcess(pid, reader, { options, reuse: TABLE_UNREAD, ipcFdsOnly: false, cpuNs });
  if (scanned) scanned.fdsUnread = true;
  return scanned;
}

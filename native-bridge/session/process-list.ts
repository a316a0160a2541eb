/**
 * The process picker's list (command "processes.list"): every process on the
 * machine, filtered by a query on PID, name, user and command line, each with
 * the number of IPC objects it holds: from the observation's own snapshot when
 * it observes the whole machine, else from a light pass over /proc (links of
 * descriptors only, process-light-scan.ts). A process whose descriptors may not be read
 * (another user's, when not root) is listed with what failed instead of a count.
 */
import { readFileSync } from 'node:fs';
import type { CommandResult } from '../model/commands';
import { CMDLINE_MAX, PROCESS_LIST_MAX_ROWS, type ProcessList, type ProcessRow } from '../model/process-list-types';
import type { Snapshot } from '../model/snapshot-types';
import { lightScan } from './process-light-scan';
import { userNames } from '../probe/process/user-names';

/** NUL-separated arguments as one line; null bytes at the end are the last argument's terminator. */
export function cmdlineOf(pid: number): string {
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return '';
  }
  const text = raw.subarray(0, CMDLINE_MAX * 4).toString('utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  return text.length > CMDLINE_MAX ? `${text.slice(0, CMDLINE_MAX - 1)}…` : text;
}

/** Distinct IPC objects a process reaches: descriptors on a reported object, and mapped segments. */
function ipcCounts(snapshot: Snapshot): Map<number, number> {
  const counts = new Map<number, Set<string>>();
  const add = (pid: number, id: string): void => {
    let set = counts.get(pid);
    if (!set) counts.set(pid, (set = new Set()));
    set.add(id);
  };
  for (const object of snapshot.objects) {
    for (const holder of object.holders) add(holder.pid, object.id);
    if (object.kind === 'shm' || object.kind === 'posix_shm') for (const pid of object.attached) add(pid, object.id);
  }
  return new Map([...counts].map(([pid, set]) => [pid, set.size]));
}

/** Case-insensitive: a query of digits also matches a PID exactly or by prefix. */
function matches(row: ProcessRow, words: string[]): boolean {
  const haystack = `${row.pid} ${row.comm} ${row.user} ${row.cmdline}`.toLowerCase();
  return words.every((word) => (/^\d+$/.test(word) ? String(row.pid).startsWith(word) || haystack.includes(word) : haystack.includes(word)));
}

/**
 * A picker asks again at each pause in typing: within this long, the same
 * scan answers the next query (each answer says when it was taken).
 */
export const PROCESS_SCAN_REUSE_MS = 1500;

interface Scan {
  at: number;
  rows: ProcessRow[];
  takenAt: number;
}

let lastScan: Scan | null = null;
/* one scan at a time: keystrokes while it runs wait for it */
let running: Promise<Scan> | null = null;

function rowOf(names: Map<number, string>, p: { pid: number; ppid: number; comm: string; uid: number | null; ipcObjects: number | null; error?: string }): ProcessRow {
  const row: ProcessRow = {
    pid: p.pid,
    ppid: p.ppid,
    comm: p.comm,
    cmdline: cmdlineOf(p.pid),
    uid: p.uid,
    user: p.uid === null ? '?' : (names.get(p.uid) ?? String(p.uid)),
    ipcObjects: p.ipcObjects,
    readable: p.ipcObjects !== null,
    self: p.pid === process.pid,
  };
  if (p.ipcObjects === null) row.unreadable = p.error ?? 'not readable';
  return row;
}

/**
 * The rows from a whole-machine snapshot the observation already took (the
 * picture's own counts, nothing read twice but command lines and uids).
 */
function rowsFromSnapshot(snapshot: Snapshot, names: Map<number, string>): ProcessRow[] {
  const counts = ipcCounts(snapshot);
  return [...snapshot.processes]
    .sort((a, b) => a.pid - b.pid)
    .map((info) => {
      const uid = info.uid ?? uidOf(info.pid);
      const row = { pid: info.pid, ppid: info.ppid, comm: info.comm, uid, ipcObjects: info.readable ? (counts.get(info.pid) ?? 0) : null };
      return rowOf(names, info.error === undefined ? row : { ...row, error: info.error });
    });
}

/** The Uid line of /proc/PID/status (real uid), readable for every process. */
function uidOf(pid: number): number | null {
  try {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return uid === undefined ? null : Number(uid);
  } catch {
    return null;
  }
}

async function scan(machine: Snapshot | null): Promise<Scan> {
  const names = userNames();
  if (machine) return { at: Date.now(), rows: rowsFromSnapshot(machine, names), takenAt: machine.takenAt };
  const takenAt = Date.now();
  const rows = (await lightScan()).map((p) => rowOf(names, p));
  /* aged from when the scan began: that is how old its rows are */
  return { at: takenAt, rows, takenAt };
}

/** The rows: a scan younger than PROCESS_SCAN_REUSE_MS, the one running, or a new one. */
async function scanRows(machine: Snapshot | null): Promise<Scan> {
  const now = Date.now();
  if (lastScan && now - lastScan.at >= 0 && now - lastScan.at < PROCESS_SCAN_REUSE_MS) return lastScan;
  if (running) return running;
  running = scan(machine).finally(() => (running = null));
  lastScan = await running;
  return lastScan;
}

/**
 * How many query words are whole words of the row: "sleep 1000" puts
 * `sleep 1000` before a thousand `sleep 100000` (which match as text too),
 * so the rows cut at PROCESS_LIST_MAX_ROWS are the weaker matches.
 */
function wholeWordHits(row: ProcessRow, words: string[]): number {
  const tokens = new Set(`${row.pid} ${row.comm} ${row.user} ${row.cmdline}`.toLowerCase().split(/[^\p{L}\p{N}._-]+/u));
  return words.filter((word) => tokens.has(word)).length;
}

/**
 * The picker's list for `query`. `machine`: the whole-machine snapshot an
 * observation of the machine took last, used instead of reading /proc again.
 */
export async function listProcesses(query = '', machine: Snapshot | null = null): Promise<ProcessList> {
  const scan = await scanRows(machine);
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matched = scan.rows.filter((row) => matches(row, words));
  if (words.length > 0) {
    const hits = new Map(matched.map((row) => [row.pid, wholeWordHits(row, words)]));
    /* stable: equal hits keep PID order */
    matched.sort((a, b) => (hits.get(b.pid) ?? 0) - (hits.get(a.pid) ?? 0));
  }
  return {
    rows: matched.slice(0, PROCESS_LIST_MAX_ROWS),
    total: matched.length,
    scanned: scan.rows.length,
    root: process.getuid?.() === 0,
    takenAt: scan.takenAt,
  };
}

/** The command's answer: the list, or what failed (a failed scan never throws out of a command). */
export async function listProcessesResult(query: string | undefined, machine: Snapshot | null = null): Promise<CommandResult> {
  try {
    return { ok: true, data: await listProcesses(query, machine) };
  } catch (error) {
    return { ok: false, error: `could not list processes: ${error instanceof Error ? error.message : String(error)}` };
  }
}

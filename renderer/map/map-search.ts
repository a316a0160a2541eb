import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';

/** Most matches listed under the search box. */
export const MAX_MATCHES = 12;

/**
 * Processes matching what was typed: the PID itself first, then PIDs that
 * start with the digits, then commands containing the text (case folded),
 * then those whose command line matched (`byCmdline`: the engine's answer to
 * "processes.match", pid to command line), each group by pid. Empty input
 * matches nothing.
 */
export function searchProcesses(processes: ProcessInfo[], query: string, byCmdline: ReadonlyMap<number, string> = new Map()): ProcessInfo[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const exact: ProcessInfo[] = [];
  const prefix: ProcessInfo[] = [];
  const named: ProcessInfo[] = [];
  const cmdline: ProcessInfo[] = [];
  const digits = /^\d+$/.test(q);
  for (const p of processes) {
    if (digits && String(p.pid) === q) exact.push(p);
    else if (digits && String(p.pid).startsWith(q)) prefix.push(p);
    else if (p.comm.toLowerCase().includes(q)) named.push(p);
    else if (byCmdline.has(p.pid)) cmdline.push(p);
  }
  const byPid = (a: ProcessInfo, b: ProcessInfo) => a.pid - b.pid;
  return [...exact, ...prefix.sort(byPid), ...named.sort(byPid), ...cmdline.sort(byPid)].slice(0, MAX_MATCHES);
}

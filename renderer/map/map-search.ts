import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';

/** Most matches listed under the search box. */
export const MAX_MATCHES = 12;

/**
 * Processes matching what was typed: the PID itself first, then PIDs that
 * start with the digits, then commands containing the text (case folded),
 * each group by pid. Empty input matches nothing.
 */
export function searchProcesses(processes: ProcessInfo[], query: string): ProcessInfo[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const exact: ProcessInfo[] = [];
  const prefix: ProcessInfo[] = [];
  const named: ProcessInfo[] = [];
  const digits = /^\d+$/.test(q);
  for (const p of processes) {
    if (digits && String(p.pid) === q) exact.push(p);
    else if (digits && String(p.pid).startsWith(q)) prefix.push(p);
    else if (p.comm.toLowerCase().includes(q)) named.push(p);
  }
  const byPid = (a: ProcessInfo, b: ProcessInfo) => a.pid - b.pid;
  return [...exact, ...prefix.sort(byPid), ...named.sort(byPid)].slice(0, MAX_MATCHES);
}

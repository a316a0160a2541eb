/**
 * Whether a PID someone named (on the command line, in an observe command)
 * is a process: /proc/TID exists for threads too, hidden from readdir, and
 * the Tgid line of its status tells them apart.
 */
import { readFileSync } from 'node:fs';

/** The error code of a failed fs call ("ENOENT"), or its text. */
export function errnoCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}

/**
 * Why `pid` cannot be taken as a process ("no such process: 12", "... (it is
 * a thread of process 10)", "cannot read process 12: EACCES"); null when it
 * is a thread-group leader whose status could be read.
 */
export function namedProcessProblem(pid: number): string | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ESRCH') return `no such process: ${pid}`;
    return `cannot read process ${pid}: ${code}`;
  }
  const tgid = /^Tgid:\s+(\d+)/m.exec(status)?.[1];
  if (tgid !== undefined && Number(tgid) !== pid) return `no such process: ${pid} (it is a thread of process ${tgid})`;
  return null;
}

/**
 * Checks the PIDs named on the command line before and after probing, so a
 * missing or unreadable process is reported once, by name, as the user typed it.
 */
import type { Snapshot } from '../model/snapshot-types';
import { namedProcessProblem } from '../probe/process/named-process';
import { CliError } from './args';
import { escapeText } from './safe-text';

/**
 * Throws "no such process: PID" unless /proc/PID is a process (thread-group
 * leader). /proc/TID also exists for threads, hidden from readdir: the Tgid
 * line of status tells them apart.
 */
export function requireProcesses(pids: number[]): void {
  for (const pid of pids) {
    const problem = namedProcessProblem(pid);
    if (problem !== null) throw new CliError(problem);
  }
}

/**
 * After a --pid snapshot: every named process must be there, and readable
 * enough to show its descriptors. A partly readable one (e.g. pid 1 in a
 * container: fds readable, /proc/1/syscall EACCES even for root) is shown,
 * with one warning line on stderr.
 */
export function requireInSnapshot(pids: number[], snapshot: Snapshot): void {
  for (const pid of pids) {
    const process = snapshot.processes.find((p) => p.pid === pid);
    if (!process) {
      const problem = snapshot.problems.find((p) => p.pid === pid);
      if (problem && problem.reason !== 'no such process') throw new CliError(`cannot read process ${pid}: ${problem.reason}`);
      throw new CliError(`no such process: ${pid} (it exited while being read)`);
    }
    if (process.readable) continue;
    const reason = process.error ?? 'permission denied';
    if (process.fds.length === 0) throw new CliError(`cannot read process ${pid}: ${reason}`);
    globalThis.process.stderr.write(`ipcscope: warning: process ${pid} is only partly readable: ${escapeText(reason)}\n`);
  }
}

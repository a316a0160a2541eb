/**
 * Real processes and real pipes for the CLI tests: spawn small native
 * programs holding pipe ends through the stdio array, run the real
 * `bin/ipcscope.js`, and kill and reap everything afterwards.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeFd } from '../libc/libc';

export const BIN = fileURLToPath(new URL('../../bin/ipcscope.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/ipcscope.js ...args` to completion; `env` is added to ours. */
export function runCli(args: string[], timeoutMs = 20_000, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Children spawned by one test file; `killAll` kills and reaps them (afterEach/finally). */
export class ChildSet {
  private readonly children: ChildProcess[] = [];
  private readonly fds: number[] = [];

  spawn(command: string, args: string[], stdio: StdioOptions, detached = false): ChildProcess & { pid: number } {
    const child = spawn(command, args, { stdio, detached });
    if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
    this.children.push(child);
    return child as ChildProcess & { pid: number };
  }

  /** Descriptors to close at the end, unless closed earlier with `close`. */
  own(...fds: number[]): void {
    this.fds.push(...fds);
  }

  close(fd: number): void {
    const at = this.fds.indexOf(fd);
    if (at >= 0) this.fds.splice(at, 1);
    closeFd(fd);
  }

  async killAll(): Promise<void> {
    for (const fd of this.fds.splice(0)) {
      try {
        closeFd(fd);
      } catch {
        /* already closed */
      }
    }
    const children = this.children.splice(0);
    await Promise.all(children.map((child) => killAndReap(child)));
  }
}

export function killAndReap(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      /* a detached child leads its own process group: take its descendants too */
      if (child.pid !== undefined && isGroupLeader(child.pid)) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      resolve();
    }
  });
}

function isGroupLeader(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

/** What the kernel says a process sleeps in (/proc/PID/wchan). */
export function wchanOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'latin1');
  } catch {
    return '';
  }
}

/** Inode of a pipe descriptor, from its /proc link "pipe:[N]". */
export function pipeInode(pid: number | 'self', fd: number): number {
  const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
  const match = /^pipe:\[(\d+)\]$/.exec(link);
  if (!match) throw new Error(`/proc/${pid}/fd/${fd} is ${link}, not a pipe`);
  return Number(match[1]);
}

/** fdinfo `flags` & 3 as an access mode (0 r, 1 w, 2 rw). */
export function accessFromFdinfo(pid: number, fd: number): 'r' | 'w' | 'rw' {
  const fdinfo = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
  const flags = parseInt(/^flags:\s+([0-7]+)/m.exec(fdinfo)?.[1] ?? '', 8);
  return (['r', 'w', 'rw'] as const)[flags & 3] ?? 'rw';
}

/** A PID no process has right now. */
export function unusedPid(): number {
  for (let pid = 4_194_000; pid > 1; pid -= 7) {
    try {
      readFileSync(`/proc/${pid}/stat`);
    } catch {
      return pid;
    }
  }
  throw new Error('no unused PID found');
}

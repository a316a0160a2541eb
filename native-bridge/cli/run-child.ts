/**
 * The command of `ipcscope run`: a child of ipcscope leading its own process
 * group, so that ending it (Ctrl+C, or the command leaving processes behind)
 * reaches every process it started and nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import type { ExitStatus } from '../model/frame-types';
import { listAllPids } from '../probe/scope';
import { CliError } from './args';
import { escapeText } from './safe-text';

/* a command that does not follow Ctrl+C (SIGINT) within this long gets SIGKILL */
const GRACE_MS = 2_000;
const GONE_WAIT_MS = 5_000;

/** The shell's convention: the code, or 128 + the signal's number. */
export function exitCodeOf(status: ExitStatus): number {
  if (status.signal === null) return status.code;
  return 128 + (constants.signals[status.signal as NodeJS.Signals] ?? 0);
}

export function describeExit(status: ExitStatus): string {
  return status.signal === null ? `exited with status ${status.code}` : `was killed by signal ${status.signal}`;
}

/** PIDs whose process group (/proc/PID/stat field 5) is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const pid of listAllPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) members.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return members;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is empty
  }
}

export class RunChild {
  readonly pid: number;
  /** Resolves once the command has exited and was reaped by Node. */
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | null = null;

  private constructor(private readonly child: ChildProcess & { pid: number }) {
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.status = signal !== null ? { code: null, signal } : { code: code ?? 0, signal: null };
        resolve(this.status);
      });
    });
  }

  /**
   * Starts the command with our stdin, stdout and stderr, in a new process
   * group (detached). Descriptors ipcscope inherited are made close-on-exec
   * first: the command must not hold what its observer was started with.
   */
  static async start(command: string[]): Promise<RunChild> {
    markInheritedCloexec();
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', detached: true });
    if (child.pid === undefined) {
      /* the 'error' event tells why (ENOENT, EACCES) */
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
      throw new CliError(`cannot run "${escapeText(file)}": ${error.code ?? error.message}`);
    }
    return new RunChild(child as ChildProcess & { pid: number });
  }

  get exitStatus(): ExitStatus | null {
    return this.status;
  }

  /**
   * Ctrl+C: the signal goes to the command's whole group, SIGKILL follows
   * after a grace period, and the command is reaped before this resolves.
   */
  async stop(signal: NodeJS.Signals): Promise<ExitStatus> {
    if (this.status === null) {
      signalGroup(this.pid, signal);
      const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return this.finish();
  }

  /**
   * Once the command has exited: processes it left in its group are killed
   * (nothing is left behind). Returns how many there were. They were
   * reparented away from us, so we wait until the group is empty (their new
   * parent reaps them).
   */
  async killLeftovers(): Promise<number> {
    const left = groupMembers(this.pid);
    if (left.length === 0) return 0;
    signalGroup(this.pid, 'SIGKILL');
    const deadline = Date.now() + GONE_WAIT_MS;
    while (groupMembers(this.pid).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return left.length;
  }

  private async finish(): Promise<ExitStatus> {
    const status = await this.exited;
    await this.killLeftovers();
    return status;
  }
}

/**
 * Test support: a situation built by a small python3 program (os.pipe, fork,
 * socket, ctypes for System V), run for real in its own process group so
 * every process it forks is killed with it. Used by tests only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { Diagnosis, DiagnosisKind } from '../../model/diagnosis-types';
import type { Snapshot } from '../../model/snapshot-types';
import { takeSnapshot } from '../../probe/index';

/** Why python3 tests are skipped on this machine, or null when it runs. */
export function python3MissingReason(): string | null {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'no python3 on this machine';
  }
}

const SAY = 'import os as _os\ndef say(*words): _os.write(1, (" ".join(map(str, words)) + "\\n").encode())';

export class PythonSituation {
  readonly pid: number;
  /** Lines printed on stdout so far (say(...)). */
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  /** Lines seen when stdout closed: none can follow. */
  private linesAtExit = -1;

  /** `source` may call say(*words): one write(2) per line, so lines of forked processes never interleave. */
  constructor(source: string) {
    this.child = spawn('python3', ['-c', `${SAY}\n${source}`], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    this.pid = this.child.pid!;
    let pending = '';
    this.child.stdout!.on('close', () => (this.linesAtExit = this.lines.length));
    this.child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.lines.push(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
  }

  /** The words after `name` on the line printed as `name ...`, as numbers (waits for it). */
  async numbers(name: string): Promise<number[]> {
    const line = await pollFor(`python ${this.pid} to print "${name}"`, () => {
      const found = this.lines.find((l) => l === name || l.startsWith(`${name} `));
      // a program that died (a python error, on stderr) will never print it: say so at once
      if (found === undefined && this.exited() && this.lines.length === this.linesAtExit) throw new Error(`python ${this.pid} exited`);
      return found;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; printed so far: ${JSON.stringify(this.lines)}; exited: ${this.exited()}`);
    });
    return line.split(' ').slice(1).map(Number);
  }

  /** A snapshot of this process and its descendants, diagnosed. */
  snapshot(): Snapshot {
    return takeSnapshot({ pids: [this.pid], tree: true }, { peekBytes: 0, readMaps: false, readSignals: false });
  }

  /** SIGKILLs the whole process group and waits for the leader. */
  async kill(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    }
  }

  /** Whether the leader has exited. */
  exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
}

/** Polls `read` until it returns a value other than undefined (a generous bound for a loaded machine). */
export async function pollFor<T>(what: string, read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves once the kernel shows `pid` asleep with a wchan starting with `wchan`. */
export function asleepIn(pid: number, wchan: string): Promise<true> {
  return pollFor(`pid ${pid} asleep in ${wchan}`, () => {
    try {
      return readFileSync(`/proc/${pid}/wchan`, 'latin1').startsWith(wchan) ? true : undefined;
    } catch {
      return undefined;
    }
  });
}

/** The /proc/PID/fd/N link ("pipe:[4614]") as the snapshot's object id ("pipe:4614"). */
export function pipeIdOf(pid: number, fd: number): string {
  const inode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
  if (!inode) throw new Error(`fd ${fd} of pid ${pid} is not a pipe`);
  return `pipe:${inode}`;
}

export function diagnosesOf(snapshot: Snapshot, kind: DiagnosisKind): Diagnosis[] {
  return (snapshot.diagnoses ?? []).filter((d) => d.kind === kind);
}

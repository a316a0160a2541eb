/**
 * Test support: small textbook C programs, compiled with `cc` into a temp
 * directory and run for real, so a snapshot is compared with what /proc, ss,
 * ipcs and /proc/locks show of a real program. Used by tests only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why C tests are skipped on this machine, or null when `cc` works. */
export function ccMissingReason(): string | null {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'no C compiler (cc) on this machine';
  }
}

export interface CProgram {
  pid: number;
  process: ChildProcess;
  /** Lines printed on stdout so far. */
  lines: string[];
}

/** A temp directory for compiled programs and the files they make; remove() deletes it all. */
export class CWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'ipcscope-c-'));
  private readonly running: CProgram[] = [];

  /** Compiles `source` to `<dir>/<name>` (with `flags`, e.g. -pthread); returns the binary's path. */
  compile(name: string, source: string, flags: string[] = []): string {
    const src = join(this.dir, `${name}.c`);
    const bin = join(this.dir, name);
    writeFileSync(src, source);
    execFileSync('cc', ['-O0', ...flags, '-o', bin, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    return bin;
  }

  /** Runs `bin` with `args` in `cwd` (default: the workspace). */
  run(bin: string, args: string[] = [], cwd: string = this.dir): CProgram {
    const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const program: CProgram = { pid: child.pid!, process: child, lines: [] };
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        program.lines.push(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    this.running.push(program);
    return program;
  }

  /** SIGKILLs every program started here and the children it forked, waits for each, removes the directory. */
  async remove(): Promise<void> {
    for (const program of this.running.splice(0)) {
      for (const child of childrenOf(program.pid)) killQuietly(child);
      const p = program.process;
      if (p.exitCode === null && p.signalCode === null) {
        await new Promise<void>((resolve) => {
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        });
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Polls `read` until it returns a value other than undefined (a generous bound for a loaded machine). */
export async function pollFor<T>(what: string, read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the program printed a line starting with `prefix`; returns it. */
export function lineOf(program: CProgram, prefix: string): Promise<string> {
  return pollFor(`pid ${program.pid} to print "${prefix}"`, () => program.lines.find((l) => l.startsWith(prefix)));
}

/** /proc/PID/syscall's number once the task sleeps in one of `nrs` with wchan starting with `wchan`. */
export function sleepingIn(pid: number, nrs: number[], wchan: string): Promise<string[]> {
  return pollFor(`pid ${pid} asleep in ${nrs.join('/')} (${wchan})`, () => {
    try {
      const fields = readFileSync(`/proc/${pid}/syscall`, 'latin1').trim().split(' ');
      const w = readFileSync(`/proc/${pid}/wchan`, 'latin1');
      return nrs.includes(Number(fields[0])) && w.startsWith(wchan) ? fields : undefined;
    } catch {
      return undefined;
    }
  });
}

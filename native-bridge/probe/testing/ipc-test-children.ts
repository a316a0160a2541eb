/**
 * Test support: small real processes that hold System V / POSIX IPC states
 * (attach a segment, block in msgrcv or semop) until they are killed. Each is
 * a Node process running a short ESM script with koffi, started from the
 * project root so `koffi` resolves. Used by tests only, until the actor
 * framework's System V / POSIX ops take over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface ScriptChild {
  pid: number;
  process: ChildProcess;
  /** Lines the script printed after "ready". */
  lines: string[];
}

const PRELUDE = `
import koffi from 'koffi';
const lib = koffi.load('libc.so.6');
const keepAlive = () => setInterval(() => {}, 1 << 30);
`;

/** Starts `node -e PRELUDE+body`; resolves once the script prints "ready". */
export function spawnScript(body: string, timeoutMs = 10_000): Promise<ScriptChild> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PRELUDE + body], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let ready = false;
    let pending = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('child script did not print "ready"'));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!ready && line === 'ready') {
          ready = true;
          clearTimeout(timer);
          resolve({ pid: child.pid!, process: child, lines });
        } else lines.push(line);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`child script exited before ready (${code ?? signal})`));
    });
  });
}

/** SIGKILL and wait until the child is reaped. */
export async function stopChild(child: ScriptChild | undefined): Promise<void> {
  if (!child) return;
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

/** Polls /proc/PID/syscall until its first field is one of `nrs` (the task sleeps in that syscall). */
export async function waitForSyscall(pid: number, nrs: number[], timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let line = '';
    try {
      line = readFileSync(`/proc/${pid}/syscall`, 'latin1').trim();
    } catch {
      /* not yet readable */
    }
    if (nrs.includes(Number(line.split(' ')[0]))) return line;
    if (Date.now() > deadline) throw new Error(`pid ${pid} never slept in syscall ${nrs.join('/')} (last: ${line})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function wchanOf(pid: number): string {
  return readFileSync(`/proc/${pid}/wchan`, 'latin1').trim();
}

/** Waits until the child printed a line starting with `prefix`. */
export async function waitForLine(child: ScriptChild, prefix: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = child.lines.find((l) => l.startsWith(prefix));
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`child ${child.pid} never printed "${prefix}"`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Steps that cannot finish, and limits, give a prompt message naming why:
 * no descriptor free (EMFILE under RLIMIT_NOFILE) is an error to report, never
 * "process gone"; a fork refused under RLIMIT_NPROC names the limit; a step
 * whose process is stopped (SIGSTOP) says so. Nothing is left behind: the
 * kernel shows every lesson process gone (no zombie) while the engine still
 * lives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import { until } from '../actor/kernel-test-helpers';
import { LessonRunner } from './lesson-runner';
import { pipeForkRead } from './limits-lesson';

interface Report {
  case: string;
  processes?: { pid: number; error: string | null }[];
  problems?: { pid: number; reason: string }[];
  outcome?: { index: number; status: string };
  error?: string | null;
  pids?: number[];
}

const fixture = new URL('./limits-fixture.ts', import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;

let engine: ChildProcess | null = null;
let runner: LessonRunner | null = null;

afterEach(async () => {
  if (engine && engine.exitCode === null && engine.signalCode === null) {
    const exited = new Promise((r) => engine!.once('exit', r));
    engine.kill('SIGKILL');
    await exited;
  }
  engine = null;
  await runner?.dispose();
  runner = null;
});

/** Starts the fixture engine; resolves with its reports once it says "done" (it then waits for stdin). */
function runFixture(mode: 'emfile' | 'nproc', command: string, args: string[]): Promise<Report[]> {
  engine = spawn(command, [...args, process.execPath, '--import', 'tsx', fixture, mode], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const child = engine;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const reports = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Report);
      if (reports.some((r) => r.case === 'done')) resolve(reports);
    });
    child.once('exit', (code, signal) => reject(new Error(`fixture exited (${signal ?? code}) before done: ${out}${err}`)));
  });
}

/** Not a process any more: gone from /proc, not even a zombie. */
function gone(pid: number): boolean {
  return readKernelWait(pid) === null;
}

async function finishFixture(): Promise<void> {
  const child = engine!;
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.write('\n');
  await exited;
}

describe('steps and limits', () => {
  it('with no descriptor free (EMFILE), a blocking step and a fork each fail with the limit named, and dispose leaves no zombie', async () => {
    const reports = await runFixture('emfile', 'prlimit', ['--nofile=200', '--']);
    const read = reports.find((r) => r.case === 'read')!;
    expect(read.outcome).toEqual({ index: 2, status: 'failed' });
    expect(read.error).toMatch(/^step 3: cannot watch the child process: cannot read \/proc\/\d+\/stat: EMFILE, RLIMIT_NOFILE is 200/);
    /* the probe lists the child it could not read, with the reason, instead of "no such process" */
    const snapshot = reports.find((r) => r.case === 'snapshot')!;
    const child = read.pids![1]!;
    const unreadable = `cannot read /proc/${child}/stat: EMFILE, RLIMIT_NOFILE is 200 (no descriptor free in this process)`;
    expect(snapshot.processes).toEqual([{ pid: child, error: unreadable }]);
    expect(snapshot.problems).toEqual([{ pid: child, reason: unreadable }]);
    const fork = reports.find((r) => r.case === 'fork')!;
    expect(fork.outcome).toEqual({ index: 1, status: 'failed' });
    expect(fork.error).toBe('fork failed: socketpair failed: EMFILE, RLIMIT_NOFILE is 200');
    /* the engine still runs: its lesson processes are reaped already, none is a zombie */
    for (const pid of [...read.pids!, ...fork.pids!]) expect(gone(pid)).toBe(true);
    await finishFixture();
  });

  it('under RLIMIT_NPROC (an unprivileged engine), a refused fork and a refused start name the limit', async () => {
    const reports = await runFixture('nproc', 'setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp']);
    const fork = reports.find((r) => r.case === 'fork')!;
    expect(fork.outcome).toEqual({ index: 1, status: 'failed' });
    expect(fork.error).toBe('fork failed: EAGAIN, RLIMIT_NPROC is 1');
    expect(reports.find((r) => r.case === 'start')?.error).toBe('could not start the parent process: spawn failed: EAGAIN, RLIMIT_NPROC is 1');
    for (const pid of fork.pids!) expect(gone(pid)).toBe(true);
    await finishFixture();
  });

  it('a step whose process is stopped (SIGSTOP) says so at once, and finishes once it is continued', async () => {
    runner = await LessonRunner.start(pipeForkRead, { onEvent: () => undefined });
    await runner.step();
    await runner.step();
    const parent = runner.view(false, 1).roles.parent!;
    process.kill(parent, 'SIGSTOP');
    await until(() => readKernelWait(parent)?.state === 'T');
    /* step 2 is the child's read (blocks); step 3 the stopped parent's close */
    expect(await runner.step()).toEqual({ index: 2, status: 'blocked' });
    expect(await runner.step()).toEqual({ index: 3, status: 'blocked' });
    expect(runner.view(false, 1).error).toBe(
      'the parent process is stopped (SIGSTOP, state T): its close cannot finish until it is continued (SIGCONT)',
    );
    expect(runner.view(false, 1).errorText?.['zh-Hans']).toBe('parent 进程已被停止（SIGSTOP，状态 T）：在它被继续（SIGCONT）之前，它的 close 无法完成');
    expect(readFileSync(`/proc/${parent}/stat`, 'utf8')).toMatch(/\) T /);
    process.kill(parent, 'SIGCONT');
    await until(() => runner!.view(false, 1).steps[3]!.status === 'done');
    expect(runner.view(false, 1).error).toBeNull();
  });

  it('a fork by a stopped parent says so at once, and the child is there once the parent is continued', async () => {
    runner = await LessonRunner.start(pipeForkRead, { onEvent: () => undefined });
    await runner.step();
    const parent = runner.view(false, 1).roles.parent!;
    process.kill(parent, 'SIGSTOP');
    await until(() => readKernelWait(parent)?.state === 'T');
    expect(await runner.step()).toEqual({ index: 1, status: 'blocked' });
    expect(runner.view(false, 1).error).toBe('the parent process is stopped (SIGSTOP, state T): its fork cannot finish until it is continued (SIGCONT)');
    expect(readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim()).toBe('');
    process.kill(parent, 'SIGCONT');
    await until(() => runner!.view(false, 1).steps[1]!.status === 'done', 20_000);
    const child = runner.view(false, 1).roles.child!;
    expect(readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim()).toBe(String(child));
    expect(runner.view(false, 1).error).toBeNull();
  });
});

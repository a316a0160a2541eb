/**
 * `ipcscope run -- COMMAND`: the real bin/ipcscope.js starts a real
 * pipeline; what it prints is checked against /proc (cat's wchan, the pipe
 * inode of its fd 0), its exit status is the command's, and nothing of the
 * command's process group is left afterwards (/proc/PID/stat field 5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli, wchanOf } from './cli-test-support';
import { groupMembers } from './run-child';
import { waitFor } from './wait-for';

/* KERNEL-FACTS: anon_pipe_read on 6.18, pipe_read or pipe_wait on older kernels */
const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let running: Running | null = null;
/** The process groups the commands ran in: emptied in afterEach whatever happened. */
const groups: number[] = [];

afterEach(async () => {
  const child = running?.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await running?.exited;
  }
  running = null;
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already empty */
    }
    await waitFor(`process group ${pgid} to be empty`, () => groupMembers(pgid).length === 0, 10_000, 20);
  }
});

function startRun(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  running = { child, stderr: () => stderr, exited };
  return running;
}

const kids = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();

/** Starts `run -- sh -c 'sleep 1000 | cat'` and waits until it has printed cat asleep in read on the pipe. */
async function pipelineRun(): Promise<{ run: Running; sh: number; sleep: number; cat: number }> {
  const run = startRun(['--rate', '20', '--', 'sh', '-c', 'sleep 1000 | cat']);
  const sh = Number(await waitFor('the running line', () => /running sh -c 'sleep 1000 \| cat' \(pid (\d+)\)/.exec(run.stderr())?.[1], 30_000));
  groups.push(sh);
  const cat = await waitFor('cat asleep in read', () => kids(sh).find((pid) => comm(pid) === 'cat' && PIPE_READ_WCHAN.test(wchanOf(pid))), 30_000);
  // the left child may still be a forked sh that has not exec'd sleep yet
  const sleep = await waitFor('sleep exec\'d', () => kids(sh).find((pid) => comm(pid) === 'sleep'), 30_000);
  const inode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
  await waitFor('cat blocked in the output', () => run.stderr().includes(`pid ${cat} (cat) blocked in read(fd 0) on pipe:${inode}`), 30_000);
  expect(readlinkSync(`/proc/${sleep}/fd/1`)).toBe(`pipe:[${inode}]`);
  return { run, sh, sleep, cat };
}

describe('ipcscope run', () => {
  it('exits with the command\'s status, and 128+N when signal N killed it', async () => {
    const plain = await runCli(['run', '--', 'sh', '-c', 'exit 3']);
    expect(plain.code, plain.stderr).toBe(3);
    expect(plain.stderr).toMatch(/ipcscope: sh -c 'exit 3' \(pid \d+\) exited with status 3\n$/);
    const killed = await runCli(['run', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(killed.code, killed.stderr).toBe(128 + 15);
    expect(killed.stderr).toMatch(/\(pid \d+\) was killed by signal SIGTERM\n$/);
  }, 60_000);

  it('follows the descendants: cat blocked in read on the pipe; a signal exit is kept, the rest of the group killed', async () => {
    const { run, sh, sleep, cat } = await pipelineRun();
    process.kill(sh, 'SIGTERM');
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 143, signal: null });
    const text = run.stderr();
    expect(text).toContain(`pid ${sh} (sh) exited`);
    expect(text).toContain('killed 2 processes the command left in its process group');
    expect(text).toMatch(new RegExp(`last state seen while sh -c 'sleep 1000 \\| cat' \\(pid ${sh}\\) ran:\\n[\\s\\S]*${cat} +${sh} +S .*cat +read\\(fd 0\\) on pipe:`));
    expect(text).toMatch(/was killed by signal SIGTERM\n$/);
    expect(groupMembers(sh)).toEqual([]);
    for (const pid of [sleep, cat]) expect(() => readFileSync(`/proc/${pid}/stat`)).toThrow();
  }, 90_000);

  it('Ctrl+C ends the command\'s whole process group and reaps it', async () => {
    const { run, sh } = await pipelineRun();
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 130, signal: null });
    expect(run.stderr()).toContain(`ipcscope: SIGINT, stopping sh -c 'sleep 1000 | cat' (process group ${sh})`);
    expect(run.stderr()).toMatch(/was killed by signal SIGINT\n$/);
    expect(groupMembers(sh)).toEqual([]);
  }, 90_000);

  it('a command that ignores Ctrl+C gets SIGKILL after the grace period', async () => {
    /* an ignored signal stays ignored across exec: sh and its sleep both ignore SIGINT */
    const run = startRun(['--', 'sh', '-c', 'trap "" INT; sleep 1000; echo not reached']);
    const sh = Number(await waitFor('the running line', () => /\(pid (\d+)\), watching/.exec(run.stderr())?.[1], 30_000));
    groups.push(sh);
    const sleep = await waitFor('the sleep', () => kids(sh).find((pid) => comm(pid) === 'sleep'), 30_000);
    await waitFor('SIGINT ignored by the sleep', () => (BigInt(`0x${/^SigIgn:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${sleep}/status`, 'latin1'))?.[1] ?? '0'}`) & 2n) !== 0n, 30_000);
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 128 + 9, signal: null });
    expect(run.stderr()).toMatch(/was killed by signal SIGKILL\n$/);
    expect(groupMembers(sh)).toEqual([]);
  }, 90_000);

  it('a command that cannot start, and malformed command lines, are told in one line', async () => {
    const missing = await runCli(['run', '--', '/nonexistent/ipcscope-no-such-program']);
    expect(missing).toMatchObject({ code: 1, stderr: 'ipcscope: cannot run "/nonexistent/ipcscope-no-such-program": ENOENT\n' });
    const cases: [string[], string][] = [
      [['run'], 'run needs a command: ipcscope run [--web] -- COMMAND [ARGS...]'],
      [['run', '--'], 'run needs a command: ipcscope run [--web] -- COMMAND [ARGS...]'],
      [['run', '--bogus', '--', 'true'], 'unknown option "--bogus" for "run" (see: ipcscope help run)'],
      [['run', '--rate', '99', '--', 'true'], '--rate expects a number from 1 to 60, got "99"'],
      [['run', '--port', '0', '--', 'true'], '--port needs --web'],
      [['run', '--web', '--json', '--', 'true'], '--json and --web cannot be combined'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result, args.join(' ')).toMatchObject({ code: 2, stderr: `ipcscope: ${message}\n` });
    }
  }, 60_000);
});

/**
 * `ipcscope watch` run for real: it must print a line when the kernel shows a
 * change (bytes queued in a watched process's pipe, a stop, an exit), one JSON
 * object per line with --json, and stop cleanly on Ctrl-C (SIGINT).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { makePipe, native } from '../libc/libc';
import { BIN, ChildSet, killAndReap, pipeInode, unusedPid, wchanOf } from './cli-test-support';
import { waitFor } from './wait-for';
import type { Change } from './snapshot-diff';

const children = new ChildSet();
const watchers: ChildProcessByStdio<null, Readable, Readable>[] = [];

beforeAll(() => {
  markInheritedCloexec();
});

afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => killAndReap(watcher)));
  await children.killAll();
});

interface Watch {
  process: ChildProcessByStdio<null, Readable, Readable>;
  lines: () => string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startWatch(args: string[]): Promise<Watch> {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  watchers.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  await waitFor('watch to start', () => stderr.includes('watching') || child.exitCode !== null, 15_000);
  return { process: child, lines: () => stdout.split('\n').filter(Boolean), stderr: () => stderr, exited };
}

describe('ipcscope watch', () => {
  it('--json: one change object per line as bytes queue and the reader stops; SIGINT exits 0', async () => {
    const [readEnd, writeEnd] = makePipe();
    children.own(readEnd, writeEnd);
    const reader = children.spawn('sleep', ['300'], [readEnd, 'ignore', 'ignore']);
    children.close(readEnd);
    await waitFor('sleep to sleep', () => wchanOf(reader.pid) === 'hrtimer_nanosleep');
    const id = `pipe:${pipeInode(reader.pid, 0)}`;

    const watch = await startWatch(['--pid', `${reader.pid}`, '--json', '--rate', '30']);
    const changes = (): Change[] => watch.lines().map((line) => JSON.parse(line) as Change);
    const bytes = Buffer.from('seven b');
    expect(native.write(writeEnd, bytes, bytes.length)).toBe(7);
    await waitFor('a queued line', () => changes().find((c) => c.kind === 'object.queued' && c.object === id));
    expect(changes().find((c) => c.kind === 'object.queued')).toMatchObject({ from: 0, to: 7 });

    process.kill(reader.pid, 'SIGSTOP');
    await waitFor('a state line', () => changes().find((c) => c.kind === 'process.state' && c.pid === reader.pid && c.to === 'T'));
    process.kill(reader.pid, 'SIGCONT');

    watch.process.kill('SIGINT');
    const { code, signal } = await watch.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(watch.stderr().trimEnd().split('\n')).toHaveLength(1);
    for (const line of watch.lines()) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('prints the exit of the watched process as a line and stops by itself', async () => {
    const sleeper = children.spawn('sleep', ['300'], 'ignore');
    const watch = await startWatch(['--pid', `${sleeper.pid}`, '--rate', '30']);
    await killAndReap(sleeper);
    const { code } = await watch.exited;
    expect(code).toBe(0);
    expect(watch.lines().some((line) => line.endsWith(`pid ${sleeper.pid} (sleep) exited`))).toBe(true);
    expect(watch.stderr()).toContain('every watched process has exited');
  });

  it('a missing PID fails at once with one line', async () => {
    const missing = unusedPid();
    const watch = await startWatch(['--pid', `${missing}`]);
    const { code } = await watch.exited;
    expect(code).toBe(1);
    expect(watch.stderr()).toBe(`ipcscope: no such process: ${missing}\n`);
  });
});

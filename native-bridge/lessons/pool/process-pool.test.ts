import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { becomeSubreaper, parentOf } from '../../actor/reaper';
import { PICTURED_WORKERS } from '../../session/lesson-workers';
import { validateParams } from '../lesson-params';
import { processPool } from './process-pool';
import { LessonRun, alive, holdersOf, until } from '../testing/lesson-run';
import { killEngineFixture } from '../testing/killed-engine';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const N = 10;
/* a loaded 2-core machine: starting the workers and their reads may take seconds */
const LONG = 60_000;

/** pids holding `pipe:[ino]` open for writing, from /proc/PID/fd and the flags line of /proc/PID/fdinfo (& 3 = 1: O_WRONLY). */
function writers(pids: number[], ino: number): number[] {
  const found: number[] = [];
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== `pipe:[${ino}]`) continue;
      const flags = /flags:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!;
      if ((parseInt(flags, 8) & 3) === 1) found.push(pid);
    }
  }
  return found.sort((a, b) => a - b);
}

function inodeOfStdin(pid: number): number {
  return Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/0`))![1]);
}

const asleepInRead = (pid: number): boolean => {
  const wait = readKernelWait(pid);
  return wait?.wchan === 'anon_pipe_read' && wait.syscallNr === 0 && wait.arg0 === 0;
};

describe.each(['keeps', 'closes'] as const)('the process pool, version %s, 10 workers', (version) => {
  it('every worker sleeps in read on its own pipe; holders, tasks, EOF and reaping are as the kernel shows them', async () => {
    run = await LessonRun.start(processPool, { workers: N, version, tasks: 12 });
    const output: string[] = [];
    run.runner.onOutput((o) => output.push(o.text));
    expect(await run.step()).toEqual({ index: 0, status: 'done' });
    const [parent, ...workers] = run.runner.pids();
    expect(workers).toHaveLength(N);
    expect(parent).toBe(run.pid('parent'));
    await until(() => workers.every(asleepInRead), LONG);
    for (const pid of workers) {
      expect(parentOf(pid)).toBe(parent);
      expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('sh');
    }

    /* pipe k: read end only in worker k (fd 0); write end in the parent, and with the trap in workers k+1..N */
    const inodes = workers.map(inodeOfStdin);
    expect(new Set(inodes).size).toBe(N);
    for (const [i, ino] of inodes.entries()) {
      const expected = version === 'keeps' ? [parent!, ...workers.slice(i + 1)] : [parent!];
      expect(writers([parent!, ...workers], ino), `writers of pipe ${i + 1}`).toEqual(expected.sort((a, b) => a - b));
      expect(holdersOf(`pipe:[${ino}]`).filter((h) => h.endsWith('/0'))).toEqual([`${workers[i]}/0`]);
    }
    /* the picture's view names the first workers and their pipes, as the kernel numbers them */
    const view = run.runner.view(false, 1);
    const pictured = workers.slice(0, PICTURED_WORKERS);
    expect(view.roles).toEqual({ parent, ...Object.fromEntries(pictured.map((pid, i) => [`worker${i + 1}`, pid])) });
    expect(view.objects).toEqual(inodes.slice(0, PICTURED_WORKERS).map((ino) => `pipe:${ino}`));
    const claim = run.runner.view(false, 1).claims.find((c) => c.id === 'pool-write-end-holders')!;
    expect(claim.verdict?.holds).toBe(version === 'keeps' ? 'holds' : 'differs');
    expect(claim.verdict?.measured['writers of pipe 1']).toBe(version === 'keeps' ? N : 1);

    /* 12 tasks: 12 lines printed by workers, each woken from read and asleep again afterwards */
    expect(await run.step()).toEqual({ index: 1, status: 'done' });
    const taskLines = (): string[] => output.join('').split('\n').filter((l) => l.includes(' runs task '));
    await until(() => taskLines().length === 12, LONG);
    for (const line of taskLines()) {
      const [, k, pid] = /^worker (\d+) \(pid (\d+)\)/.exec(line)!;
      expect(workers[Number(k) - 1]).toBe(Number(pid));
    }
    await until(() => workers.every(asleepInRead), LONG);

    /* worker 1's write end closed by the parent: EOF only when no sibling holds it */
    expect(await run.step()).toEqual({ index: 2, status: 'done' });
    const verdict = run.runner.view(false, 1).steps[2]!.question?.verdict;
    if (version === 'keeps') {
      expect(verdict?.correct).toBe('sleeps');
      expect(asleepInRead(workers[0]!)).toBe(true);
      expect(writers(workers, inodes[0]!)).toEqual(workers.slice(1).sort((a, b) => a - b));
    } else {
      expect(verdict?.correct).toBe('eof');
      expect(readKernelWait(workers[0]!)?.state).toBe('Z');
    }

    await run.step();
    expect(await run.step()).toMatchObject({ index: 4 });
    expect((await run.returned(4)).result).toBe(N);
    const exits = (): number[] =>
      output
        .join('')
        .split('\n')
        .map((l) => /^worker (\d+) \(pid \d+\) sees end of file/.exec(l)?.[1])
        .filter((k): k is string => k !== undefined)
        .map(Number);
    await until(() => exits().length === N, LONG);
    /* with the trap, worker k gets EOF only after worker k+1 exited and let go of pipe k: youngest first */
    if (version === 'keeps') expect(exits()).toEqual(Array.from({ length: N }, (_, i) => N - i));
    await run.stepTo(processPool.stepsFor!({ workers: N, version, tasks: 12 }).length);
    await until(() => run!.runner.finished, LONG);
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    for (const ino of inodes) expect(holdersOf(`pipe:[${ino}]`)).toEqual([]);
    run = null;
  }, 180_000);
});

describe('the process pool stopped or killed half-way', () => {
  it('a lesson stopped while every worker sleeps in read leaves no process and no pipe', async () => {
    run = await LessonRun.start(processPool, { workers: N, version: 'keeps' });
    await run.step();
    const workers = run.runner.pids().slice(1);
    await until(() => workers.every(asleepInRead), LONG);
    const inodes = workers.map(inodeOfStdin);
    const dir = run.runner.dir!;
    await run.disposeAndCheck();
    run = null;
    /* reaped: not even zombies */
    for (const pid of workers) expect(alive(pid)).toBe(false);
    for (const ino of inodes) expect(holdersOf(`pipe:[${ino}]`)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);

  it('an engine killed with SIGKILL leaves no worker, even a stopped one: the watchdog kills their process group', async () => {
    /* orphans of the killed engine come to this process (a subreaper), which reaps them below */
    becomeSubreaper();
    await killEngineFixture('pool-engine-fixture.ts', {
      before: async ({ pids }) => {
        expect(pids).toHaveLength(N + 1);
        /* a stopped worker would never read its EOF: only a kill removes it */
        process.kill(pids[1]!, 'SIGSTOP');
        await until(() => readKernelWait(pids[1]!)?.state === 'T', LONG);
      },
      timeoutMs: LONG,
    });
  }, 120_000);
});

describe('a pool larger than the parent may hold descriptors for', () => {
  it('stops at the limit with a message naming RLIMIT_NOFILE and its value; the workers started so far are removed', async () => {
    run = await LessonRun.start(processPool, { workers: 200, version: 'closes' });
    const parent = run.pid('parent');
    /* the parent keeps one write end per worker: 100 descriptors are not enough for 200 */
    execFileSync('prlimit', ['--pid', String(parent), '--nofile=100:']);
    expect(await run.step()).toEqual({ index: 0, status: 'failed' });
    const error = run.runner.view(false, 1).error ?? '';
    expect(error).toMatch(/pipe2 for worker \d+ of 200 failed: EMFILE, RLIMIT_NOFILE is 100; \d+ workers were started/);
    const started = Number(/(\d+) workers were started/.exec(error)![1]);
    const workers = run.runner.pids().slice(1);
    expect(workers).toHaveLength(started);
    expect(started).toBeGreaterThan(0);
    await until(() => workers.every(asleepInRead), LONG);
    await run.disposeAndCheck();
    run = null;
    for (const pid of workers) expect(alive(pid)).toBe(false);
  }, 120_000);
});

describe('process-pool parameters', () => {
  it('are checked with a message naming the limit and the value', () => {
    expect(() => validateParams(processPool, { workers: 0 })).toThrow('parameter "workers" must be a whole number from 1 to 1000 (got 0)');
    expect(() => validateParams(processPool, { workers: 1001 })).toThrow('from 1 to 1000 (got 1001)');
    expect(() => validateParams(processPool, { workers: 2.5 })).toThrow('(got 2.5)');
    expect(() => validateParams(processPool, { version: 'sometimes' })).toThrow('parameter "version" must be one of keeps, closes (got "sometimes")');
    expect(() => validateParams(processPool, { tasks: 0 })).toThrow('parameter "tasks" must be a whole number from 1 to 1000 (got 0)');
    expect(validateParams(processPool, {})).toEqual({ workers: 10, version: 'keeps', tasks: 12 });
  });
});

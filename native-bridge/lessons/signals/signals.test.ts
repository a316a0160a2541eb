import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readSignals } from '../../probe/process/signals';
import { LessonRun, alive, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';
import { signalsLesson } from './signals';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

/* generous: eight helpers share two cores */
const LONG = 30_000;
const stateOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2)[0]!;
};
/** SigBlk of every thread of the process: a blocked signal must be blocked in all of them to stay pending. */
const threadMasks = (pid: number): string[] =>
  readdirSync(`/proc/${pid}/task`).map((tid) => /SigBlk:\s+(\S+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1'))![1]!);

describe('signals lesson', () => {
  it('caught at once, pending while blocked, one delivery after unblocking, SIGCHLD and a zombie until waitpid, nothing left', async () => {
    run = await LessonRun.start(signalsLesson);
    const parent = run.pid('parent');
    const view = () => run!.runner.view(false, 1);

    await run.stepTo(5);
    const child = run.pid('child');
    /* three handlers installed: SigCgt, as the kernel keeps it */
    expect(readSignals(parent)?.caught).toEqual(expect.arrayContaining(['SIGUSR1', 'SIGUSR2', 'SIGCHLD']));
    expect(readSignals(parent)?.blocked ?? []).not.toContain('SIGUSR1');

    await run.stepTo(6);
    expect((await run.returned(5)).result).toBe(parent);

    /* SIGUSR2: caught at once, nothing pending */
    await run.stepTo(7);
    await until(() => view().steps[6]!.question?.verdict != null, LONG);
    expect(view().steps[6]!.question?.verdict?.correct).toBe('handler');
    expect(readSignals(parent)?.sharedPending).toEqual([]);

    /* blocked in the main thread and in every other thread of the process */
    await run.stepTo(8);
    expect(readSignals(parent)?.blocked).toContain('SIGUSR1');
    for (const mask of threadMasks(parent)) expect(BigInt(`0x${mask}`) & 0x200n).toBe(0x200n);

    /* SIGUSR1 while blocked: pending on the whole process, twice still one bit */
    await run.stepTo(9);
    await until(() => readSignals(parent)?.sharedPending.includes('SIGUSR1') === true, LONG);
    await until(() => view().steps[8]!.question?.verdict != null, LONG);
    expect(view().steps[8]!.question?.verdict?.correct).toBe('pending');
    await run.stepTo(10);
    expect(readSignals(parent)).toMatchObject({ sharedPending: ['SIGUSR1'], pending: [] });
    expect(alive(parent)).toBe(true);

    /* the child exits: a zombie until waitpid, SIGCHLD caught though SIGUSR1 is still held */
    await run.stepTo(11);
    await until(() => stateOf(child) === 'Z', LONG);
    await until(() => view().steps[10]!.question?.verdict != null, LONG);
    expect(view().steps[10]!.question?.verdict?.correct).toBe('zombie');
    await until(() => view().claims.find((c) => c.id === 'sigchld-zombie')?.verdict != null, LONG);
    expect(view().claims.find((c) => c.id === 'sigchld-zombie')?.verdict?.holds).toBe('holds');
    expect(readSignals(parent)?.sharedPending).toContain('SIGUSR1');

    await run.stepTo(12);
    await run.returned(11);
    await until(() => !alive(child), LONG);
    expect(readSignals(parent)?.sharedPending).toContain('SIGUSR1');

    /* unblocked: delivered, pending cleared, the handler ran once */
    await run.stepTo(13);
    await until(() => readSignals(parent)?.sharedPending.length === 0, LONG);
    expect(readSignals(parent)?.blocked ?? []).not.toContain('SIGUSR1');
    await until(() => view().steps[12]!.question?.verdict != null, LONG);
    expect(view().steps[12]!.question?.verdict?.correct).toBe('1');
    await until(() => view().claims.every((c) => c.verdict != null), LONG);
    expect(view().claims.find((c) => c.id === 'signal-carries-little')?.verdict?.holds).toBe('holds');

    /* the notes: one byte per handler call, in the order they ran */
    await run.stepTo(14);
    const notes = await run.returned(13);
    expect(notes.result).toBe(3);
    expect(Buffer.from(notes.data ?? '', 'base64').toString('latin1')).toBe('2C1');
    await run.stepTo(15);
    await run.disposeAndCheck();
    run = null;
  }, 120_000);

  it('stopped half-way, with a signal pending, leaves nothing', async () => {
    run = await LessonRun.start(signalsLesson);
    const parent = run.pid('parent');
    await run.stepTo(10);
    await until(() => readSignals(parent)?.sharedPending.includes('SIGUSR1') === true, LONG);
    await run.disposeAndCheck();
    run = null;
  }, 120_000);

  it('an engine killed with SIGKILL while a signal is pending leaves no process', async () => {
    await killEngineFixture<FixtureLine & { parent: number }>('signals-engine-fixture.ts', {
      before: ({ parent }) => expect(readSignals(parent)?.sharedPending).toContain('SIGUSR1'),
      timeoutMs: LONG,
    });
  }, 120_000);
});

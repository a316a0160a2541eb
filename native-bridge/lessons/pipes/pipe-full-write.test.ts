import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import type { PipeObject } from '../../model/snapshot-types';
import { Sampler } from '../../probe';
import { pipeFullWrite } from './pipe-full-write';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
let sampler: Sampler | null = null;
afterEach(async () => {
  sampler?.close();
  sampler = null;
  await run?.runner.dispose();
  run = null;
});

describe('pipe rule 2: a write to a full pipe sleeps', () => {
  it('fills the pipe to F_GETPIPE_SZ, sleeps in anon_pipe_write, wakes when the reader frees a page', async () => {
    run = await LessonRun.start(pipeFullWrite);
    sampler = new Sampler();
    await run.stepTo(5);
    const capacity = (await run.returned(4)).result!;
    expect(capacity).toBe(65536);
    await run.step();
    expect((await run.returned(5)).result).toBe(capacity);
    const pids = [run.pid('parent'), run.pid('child')];
    const pipe = sampler.sample({ pids }).objects.find((o): o is PipeObject => o.id === run!.runner.view(false, 1).objects[0]);
    /* every slot full: the fill the kernel reports equals the capacity the kernel reports */
    expect(pipe).toMatchObject({ queued: capacity, capacity });

    expect(await run.step()).toEqual({ index: 6, status: 'blocked' });
    expect(readKernelWait(run.pid('parent'))).toMatchObject({ wchan: 'anon_pipe_write', syscallNr: 1 });
    expect(run.runner.view(false, 1).steps[6]!.question?.verdict?.correct).toBe('blocks');

    await run.step();
    expect((await run.returned(6)).result).toBe(1);
    const order = run.events.filter((e) => e.phase === 'return').map((e) => e.step);
    expect(order.indexOf(7)).toBeLessThan(order.indexOf(6));
    await run.stepTo(10);
    expect((await run.returned(9)).result).toBe(capacity - 4096 + 1);
    await run.step();
    expect((await run.returned(10)).result).toBe(0);
    await run.stepTo(pipeFullWrite.steps.length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1)).toMatchObject({ error: null });
    expect(run.runner.view(false, 1).claims[0]!.verdict?.measured).toEqual({ F_GETPIPE_SZ: capacity, PIPE_BUF: 4096 });
    await run.disposeAndCheck();
    run = null;
  });
});

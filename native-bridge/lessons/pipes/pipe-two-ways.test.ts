import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { pipeTwoWays } from './pipe-two-ways';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const text = (base64: string | null | undefined): string => Buffer.from(base64 ?? '', 'base64').toString();

describe('two pipes, one per direction', () => {
  it('the child cannot take back its ping: it sleeps until the parent answers, and the write is told before the read it woke', async () => {
    run = await LessonRun.start(pipeTwoWays);
    await run.stepTo(8);
    expect(await run.step()).toEqual({ index: 8, status: 'blocked' });
    expect(readKernelWait(run.pid('child'))).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    expect(run.runner.view(false, 1).steps[8]!.question?.verdict?.correct).toBe('blocks');
    expect(text((await (async () => (await run!.step(), run!.returned(9)))()).data)).toBe('ping\n');
    await run.step();
    const childRead = await run.returned(8);
    expect(text(childRead.data)).toBe('pong\n');
    const order = run.events.filter((e) => e.phase === 'return').map((e) => e.step);
    expect(order.indexOf(10)).toBeLessThan(order.indexOf(8));
    /* the events name the pipe the bytes go into and come out of */
    const write = run.events.find((e) => e.step === 10 && e.phase === 'return')!;
    expect(write.object).toMatch(/^pipe:\d+$/);
    expect(childRead.object).toBe(write.object);

    await run.stepTo(13);
    await until(() => readKernelWait(run!.pid('child'))?.wchan === 'anon_pipe_read');
    await run.step();
    expect((await run.returned(12)).result).toBe(0);
    const ends = run.events.filter((e) => e.phase === 'return').map((e) => e.step);
    expect(ends.indexOf(13)).toBeLessThan(ends.indexOf(12));
    await run.stepTo(pipeTwoWays.steps.length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });
});

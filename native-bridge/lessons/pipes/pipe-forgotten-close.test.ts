import { readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { pipeForgottenClose } from './pipe-forgotten-close';
import { LessonRun, holdersOf } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

describe('the trap: a reader that forgot to close its write end', () => {
  it('the child sleeps on an empty pipe, wakes with data, then sleeps forever after the parent closes; the focus names its own write end', async () => {
    run = await LessonRun.start(pipeForgottenClose);
    await run.stepTo(3);
    const child = run.pid('child');
    const parent = run.pid('parent');
    expect(await run.step()).toEqual({ index: 3, status: 'blocked' });
    expect(readKernelWait(child)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    await run.step();
    expect((await run.returned(3)).result).toBe(5);
    await run.stepTo(7);
    expect(await run.step()).toEqual({ index: 7, status: 'blocked' });
    expect(readKernelWait(child)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    const step = run.runner.view(false, 1).steps[7]!;
    expect(step.question?.verdict?.correct).toBe('blocks');
    expect(run.runner.view(false, 1).claims[0]!.verdict).toMatchObject({ holds: 'partly', measured: { wchan: 'anon_pipe_read' } });
    const [forgotten] = step.focus!;
    expect(forgotten!.pid).toBe(child);
    /* the only holders of the pipe are the child's two ends: its read end and the forgotten write end */
    const pipe = readlinkSync(`/proc/${child}/fd/${forgotten!.fd}`);
    expect(holdersOf(pipe).sort()).toEqual([`${child}/${readKernelWait(child)!.arg0}`, `${child}/${forgotten!.fd}`].sort());
    /* and the parent waits in wait4 for a child that never exits */
    expect(await run.step()).toEqual({ index: 8, status: 'blocked' });
    expect(readKernelWait(parent)).toMatchObject({ syscallNr: 61 });
    await run.disposeAndCheck();
    run = null;
  });
});

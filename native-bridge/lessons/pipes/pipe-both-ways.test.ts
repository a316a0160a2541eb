import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { pipeBothWays } from './pipe-both-ways';
import { LessonRun, commOf, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const text = (base64: string | null | undefined): string => Buffer.from(base64 ?? '', 'base64').toString();

describe('one pipe used both ways', () => {
  it('lucky order: the child pauses, the parent reads its "ping", the child gets "pong"; processes are named by role', async () => {
    run = await LessonRun.start(pipeBothWays, { order: 'lucky' });
    await run.stepTo(2);
    expect(commOf(run.pid('parent'))).toBe('parent');
    expect(commOf(run.pid('child'))).toBe('child');
    await run.stepTo(4);
    /* the child's pause is a real sleep */
    expect(readKernelWait(run.pid('child'))).toMatchObject({ wchan: 'hrtimer_nanosleep', syscallNr: 230 });
    expect(await run.step()).toEqual({ index: 4, status: 'done' });
    expect(text((await run.returned(4)).data)).toBe('ping\n');
    const view = run.runner.view(false, 1);
    expect(view.steps[4]!.question?.verdict?.correct).toBe('message');
    expect(view.steps[4]!.result).toBe('= 5');
    await run.stepTo(7);
    expect(text((await run.returned(6)).data)).toBe('pong\n');
    await run.stepTo(pipeBothWays.stepsFor!({ order: 'lucky' }).length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1).error).toBeNull();
    expect(run.runner.view(false, 1).claims[0]!.verdict).toMatchObject({ holds: 'differs', measured: { F_GETPIPE_SZ: 65536, PIPE_BUF: 4096 } });
    await run.disposeAndCheck();
    run = null;
  });

  it('unlucky order: the child reads back its own "ping" and the parent sleeps in read forever, its own write end pointed at', async () => {
    run = await LessonRun.start(pipeBothWays, { order: 'unlucky' });
    await run.stepTo(3);
    expect(await run.step()).toEqual({ index: 3, status: 'done' });
    expect(text((await run.returned(3)).data)).toBe('ping\n');
    expect(run.runner.view(false, 1).steps[3]!.question?.verdict?.correct).toBe('own');
    await run.stepTo(5);
    expect(await run.step()).toEqual({ index: 5, status: 'blocked' });
    const parent = run.pid('parent');
    expect(readKernelWait(parent)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    const step = run.runner.view(false, 1).steps[5]!;
    expect(step.question?.verdict?.correct).toBe('blocks');
    /* the focus points at the fd the kernel shows it reading, and at its own write end on the same pipe */
    const [readEnd, writeEnd] = step.focus!;
    expect([readEnd!.pid, readEnd!.fd]).toEqual([parent, readKernelWait(parent)!.arg0]);
    expect(writeEnd!.pid).toBe(parent);
    expect(readlinkSync(`/proc/${parent}/fd/${writeEnd!.fd}`)).toBe(readlinkSync(`/proc/${parent}/fd/${readEnd!.fd}`));
    /* fdinfo flags & 3 == 1: O_WRONLY */
    expect(Number.parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/${parent}/fdinfo/${writeEnd!.fd}`, 'utf8'))![1]!, 8) & 3).toBe(1);
    /* the child exits; the parent still sleeps: it holds a write end itself */
    await run.step();
    await until(() => readKernelWait(run!.pid('child')) === null || readKernelWait(run!.pid('child'))!.state === 'Z');
    expect(readKernelWait(parent)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    expect(run.runner.view(false, 1).idleRoles).toEqual([]);
    await run.disposeAndCheck();
    run = null;
  });
});

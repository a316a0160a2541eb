import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { pipeTasks } from './pipe-tasks';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

describe('a parent hands out tasks to a child', () => {
  it('with 2 tasks: the child sleeps in read before each code, wakes with 4 bytes, prints, and exits on EOF', async () => {
    run = await LessonRun.start(pipeTasks, { tasks: 2 });
    const steps = pipeTasks.stepsFor!({ tasks: 2 });
    expect(steps).toHaveLength(4 + 2 * 3 + 5);
    await run.stepTo(4);
    const child = run.pid('child');
    for (const task of [1, 2]) {
      const read = 4 + (task - 1) * 3;
      expect(await run.step()).toEqual({ index: read, status: 'blocked' });
      expect(readKernelWait(child)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
      await run.step();
      const got = await run.returned(read);
      expect(got.result).toBe(4);
      expect(Buffer.from(got.data!, 'base64').readUInt32LE()).toBe(task);
      await run.step();
      expect((await run.returned(read + 2)).result).toBe(`child runs task ${task}\n`.length);
    }
    expect(run.runner.view(false, 1).steps[4]!.question?.verdict?.correct).toBe('blocks');
    expect(await run.step()).toEqual({ index: 10, status: 'blocked' });
    await run.step();
    expect((await run.returned(10)).result).toBe(0);
    await run.stepTo(steps.length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });
});

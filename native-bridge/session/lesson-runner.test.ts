import { afterEach, describe, expect, it } from 'vitest';
import { numberVar, type Lesson } from '../lessons/lesson-types';
import { readKernelWait } from '../actor/kernel-wait';
import { until } from '../actor/kernel-test-helpers';
import { LessonRunner, type RunnerEvent } from './lesson-runner';

const none = { en: '-', 'zh-Hans': '-', 'zh-Hant': '-' };

/* the child reads first and blocks; its next step (close) must wait until the read returns */
const readThenClose: Lesson = {
  id: 'test-read-then-close',
  title: none,
  summary: none,
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [],
  steps: [
    {
      role: 'parent',
      op: 'pipe2',
      save: (r, v) => {
        const fds = r.data?.fds;
        if (Array.isArray(fds)) [v.fd0, v.fd1] = [fds[0]!, fds[1]!];
      },
      code: 'pipe2(fd, O_CLOEXEC);',
      explain: none,
    },
    { role: 'parent', op: 'spawn-child', spawns: 'child', code: 'fork();', explain: none },
    { role: 'child', op: 'read', args: (v) => ({ fd: numberVar(v, 'fd0'), count: 8 }), code: 'read(fd[0], buf, 8);', explain: none },
    { role: 'child', op: 'close', args: (v) => ({ fd: numberVar(v, 'fd0') }), code: 'close(fd[0]);', explain: none },
    { role: 'parent', op: 'close', args: () => ({ fd: 9999 }), code: 'close(9999);', explain: none },
  ],
};

let runner: LessonRunner | null = null;
afterEach(async () => {
  await runner?.dispose();
  runner = null;
});

describe('LessonRunner pacing', () => {
  it('a step for an actor still asleep in its previous call waits until that call returns', async () => {
    const events: RunnerEvent[] = [];
    runner = await LessonRunner.start(readThenClose, { onEvent: (e) => events.push(e) });
    await runner.step();
    await runner.step();
    const child = runner.view(false, 1).roles.child!;
    expect(await runner.step()).toEqual({ index: 2, status: 'blocked' });
    expect(readKernelWait(child)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });

    /* issued while the child sleeps: stays pending, the child is still in read */
    const close = runner.step();
    await new Promise((r) => setTimeout(r, 300));
    expect(runner.view(false, 1).steps[3]!.status).toBe('pending');
    expect(readKernelWait(child)?.wchan).toBe('anon_pipe_read');
    expect(events.some((e) => e.step === 3)).toBe(false);

    /* stopping the lesson releases the waiting step without running it */
    await runner.dispose();
    runner = null;
    expect(await close).toEqual({ index: 3, status: 'stopped' });
    expect(readKernelWait(child)).toBeNull();
  });

  it('a process killed asleep in its call ends its step with its PID and the signal, as the kernel tells its parent; its next step ends too', async () => {
    runner = await LessonRunner.start(readThenClose, { onEvent: () => undefined });
    await runner.step();
    await runner.step();
    const child = runner.view(false, 1).roles.child!;
    expect(await runner.step()).toEqual({ index: 2, status: 'blocked' });
    const close = runner.step();
    /* a child of an actor: a zombie until its parent waits; /proc/PID/stat's exit_code is what waitpid will say */
    process.kill(child, 'SIGKILL');
    expect(await close).toEqual({ index: 3, status: 'failed' });
    const view = runner.view(false, 1);
    expect(view.steps[2]).toMatchObject({ status: 'failed', result: 'no return: the process died: killed by signal 9 (SIGKILL)' });
    /* what a learner reads comes in the three languages */
    expect(view.steps[2]!.resultText).toEqual({
      en: 'no return: the process died: killed by signal 9 (SIGKILL)',
      'zh-Hans': '没有返回：进程已死，被信号 9（SIGKILL）终止',
      'zh-Hant': '沒有返回：行程已死，遭訊號 9（SIGKILL）終止',
    });
    expect(readKernelWait(child)?.state).toBe('Z');
    expect(view.error).toBe('step 4: no live "child" process');

    /* an actor the engine started: the engine is its parent and waits for it */
    const parentReads: Lesson = { ...readThenClose, steps: [readThenClose.steps[0]!, { ...readThenClose.steps[2]!, role: 'parent' }] };
    const second = await LessonRunner.start(parentReads, { onEvent: () => undefined });
    try {
      await second.step();
      expect(await second.step()).toEqual({ index: 1, status: 'blocked' });
      const parent = second.view(false, 1).roles.parent!;
      process.kill(parent, 'SIGTERM');
      await until(() => second.view(false, 1).steps[1]!.status === 'failed');
      expect(second.view(false, 1).error).toBe(`the parent process (PID ${parent}) died during read: killed by signal 15 (SIGTERM)`);
      expect(second.view(false, 1).errorText).toEqual({
        en: `the parent process (PID ${parent}) died during read: killed by signal 15 (SIGTERM)`,
        'zh-Hans': `parent 进程（PID ${parent}）在 read 调用中死亡，被信号 15（SIGTERM）终止`,
        'zh-Hant': `parent 行程（PID ${parent}）在 read 呼叫中死亡，遭訊號 15（SIGTERM）終止`,
      });
    } finally {
      await second.dispose();
    }
  });

  it('a failing syscall is reported with its errno and the lesson error', async () => {
    const events: RunnerEvent[] = [];
    const failing: Lesson = { ...readThenClose, steps: [readThenClose.steps[4]!] };
    runner = await LessonRunner.start(failing, { onEvent: (e) => events.push(e) });
    expect(await runner.step()).toEqual({ index: 0, status: 'failed' });
    expect(runner.view(false, 1).error).toBe('close failed: EBADF');
    expect(runner.view(false, 1).errorText).toEqual({ en: 'close failed: EBADF', 'zh-Hans': 'close 失败：EBADF', 'zh-Hant': 'close 失敗：EBADF' });
    expect(events.at(-1)).toMatchObject({ phase: 'return', result: -1, errno: 'EBADF', text: 'close(9999) = -1 EBADF' });
  });
});

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pipeSigpipe } from './pipe-sigpipe';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

describe('pipe rule 4: a write with no reader', () => {
  it('default: the kernel kills the writer with SIGPIPE (the zombie and waitpid both say signal 13)', async () => {
    run = await LessonRun.start(pipeSigpipe);
    await run.stepTo(5);
    const child = run.pid('child');
    expect(await run.step()).toEqual({ index: 5, status: 'done' });
    expect((await run.returned(5)).result).toBeNull();
    expect(run.runner.view(false, 1).steps[5]!.question?.verdict?.correct).toBe('sigpipe');
    expect(run.runner.view(false, 1).claims[0]!.verdict).toMatchObject({ holds: 'holds', measured: { signal: 13 } });
    await run.step();
    expect((await run.returned(6)).result).toBe(child);
    /* the parent's waitpid: the status the kernel gave it */
    expect(run.runner.view(false, 1).steps[6]!).toMatchObject({ status: 'done', result: `= ${child} (killed by signal 13)` });
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });

  it('ignored: SigIgn shows bit 13 and the write returns -1 EPIPE; the child exits 1', async () => {
    run = await LessonRun.start(pipeSigpipe, { sigpipe: 'ignore' });
    await run.stepTo(6);
    const child = run.pid('child');
    const sigIgn = BigInt(`0x${/SigIgn:\s+([0-9a-f]+)/.exec(readFileSync(`/proc/${child}/status`, 'utf8'))![1]}`);
    expect(sigIgn & (1n << 12n)).not.toBe(0n);
    await run.step();
    expect(await run.returned(6)).toMatchObject({ result: -1, errno: 'EPIPE' });
    expect(run.runner.view(false, 1).steps[6]).toMatchObject({ status: 'done', result: '= -1 EPIPE', question: { verdict: { correct: 'epipe' } } });
    expect(run.runner.view(false, 1).claims[0]!.verdict).toMatchObject({ holds: 'partly', measured: { errno: 'EPIPE' } });
    await run.stepTo(10);
    expect(run.runner.view(false, 1).steps[9]!.result).toBe(`= ${child} (exit status 1)`);
    expect(run.runner.view(false, 1).steps[9]!.resultText?.['zh-Hant']).toBe(`= ${child}（結束碼 1）`);
    await run.stepTo(pipeSigpipe.stepsFor!({ sigpipe: 'ignore' }).length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });
});

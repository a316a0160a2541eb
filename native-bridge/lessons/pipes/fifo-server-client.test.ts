import { existsSync, lstatSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { fifoServerClient } from './fifo-server-client';
import { parentOf } from '../../actor/reaper';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture } from '../testing/killed-engine';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

describe('a FIFO between two unrelated programs', () => {
  it('mkfifo makes a type-p file with no data, open sleeps in wait_for_partner, lines pass, EOF, unlink', async () => {
    run = await LessonRun.start(fifoServerClient);
    const dir = run.runner.dir!;
    const [server, client] = [run.pid('server'), run.pid('client')];
    /* started separately: neither is the other's ancestor */
    expect(parentOf(server)).not.toBe(client);
    expect(parentOf(client)).not.toBe(server);
    await run.stepTo(2);
    const stat = lstatSync(`${dir}/demo.fifo`);
    expect(stat.isFIFO()).toBe(true);
    expect([stat.size, stat.blocks]).toEqual([0, 0]);
    expect(run.runner.view(false, 1).claims[0]!.verdict).toMatchObject({ holds: 'holds', measured: { type: 'p', st_size: 0, st_blocks: 0 } });

    expect(await run.step()).toEqual({ index: 2, status: 'blocked' });
    expect(readKernelWait(server)).toMatchObject({ wchan: 'wait_for_partner', syscallNr: 257 });
    expect(run.runner.view(false, 1).steps[2]!.question?.verdict?.correct).toBe('blocks');
    await run.step();
    const opened = await run.returned(2);
    expect(opened.result).toBeGreaterThanOrEqual(0);
    const returns = run.events.filter((e) => e.phase === 'return').map((e) => e.step);
    expect(returns.indexOf(3)).toBeLessThan(returns.indexOf(2));
    expect(run.runner.view(false, 1).claims[1]!.verdict?.holds).toBe('partly');
    expect(run.runner.view(false, 1).objects).toEqual([`fifo:${stat.ino}`]);

    await run.stepTo(6);
    expect(Buffer.from((await run.returned(5)).data!, 'base64').toString()).toBe('hello\n');
    await run.stepTo(10);
    expect(await run.step()).toEqual({ index: 10, status: 'blocked' });
    expect(readKernelWait(server)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    await run.step();
    expect((await run.returned(10)).result).toBe(0);
    await run.stepTo(fifoServerClient.steps.length);
    await until(() => run!.runner.finished);
    expect(existsSync(`${dir}/demo.fifo`)).toBe(false);
    expect(run.runner.view(false, 1).error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });

  it('stopped half-way, with the server asleep in open, leaves no process and no FIFO', async () => {
    run = await LessonRun.start(fifoServerClient);
    const dir = run.runner.dir!;
    await run.stepTo(3);
    expect(existsSync(`${dir}/demo.fifo`)).toBe(true);
    await run.disposeAndCheck();
    run = null;
    expect(existsSync(dir)).toBe(false);
  });

  it('an engine killed with SIGKILL leaves no process and no FIFO: the watchdog removes the directory', async () => {
    await killEngineFixture('fifo-engine-fixture.ts', {
      before: ({ dir, pids }) => {
        expect(lstatSync(`${dir}/demo.fifo`).isFIFO()).toBe(true);
        expect(pids.some((pid) => readKernelWait(pid)?.wchan === 'wait_for_partner')).toBe(true);
      },
    });
  }, 120_000);
});

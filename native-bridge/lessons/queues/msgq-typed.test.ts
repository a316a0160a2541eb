import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCKED_SIZE, MSG_TOO_BIG, SMALL_QBYTES, kernelLimit, msgRow, msgqTyped, queueCapacity } from './msgq-typed';
import { asleepInCall as asleepIn, LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';
import { ipcsColumns, SysvSweep } from '../testing/sysv-tables';

let run: LessonRun | null = null;
const sweep = new SysvSweep();
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  sweep.removeLeft();
});

/* what `ipcs -q` prints for one queue: used-bytes and messages columns */
function ipcsQueue(msqid: number): { bytes: number; messages: number } | null {
  const columns = ipcsColumns('msg', msqid);
  return columns && { bytes: Number(columns[4]), messages: Number(columns[5]) };
}

describe('typed messages on a System V queue', () => {
  it('msgrcv sleeps for a type not there, receives by type then type 0, msgmax refuses 9000 bytes, a sender sleeps on a small queue until a msgrcv makes room, IPC_RMID wakes the next with EIDRM', async () => {
    run = await LessonRun.start(msgqTyped);
    const dir = run.runner.dir!;
    const [receiver, sender] = [run.pid('receiver'), run.pid('sender')];
    const view = () => run!.runner.view(false, 1);

    await run.stepTo(2);
    const msqid = (await run.returned(1)).result!;
    sweep.saw('msg', msqid);
    expect(readFileSync(`${dir}/.sysv-msg`, 'utf8')).toBe(`${msqid}\n`);
    expect(ipcsQueue(msqid)).toEqual({ bytes: 0, messages: 0 });
    expect(queueCapacity(msqid)).toBe(kernelLimit('msgmnb'));
    expect(view().claims[0]!.verdict?.holds).toBe('holds');

    /* the receiver asks for type 2 on an empty queue: asleep in do_msgrcv (70) on this msqid */
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(receiver, 'do_msgrcv', 70, msqid));
    expect(view().steps[2]!.question?.verdict?.correct).toBe('sleeps');

    await run.stepTo(6);
    expect((await run.returned(5)).result).toBe(0);
    /* type 1 queued, the receiver still asleep for type 2 */
    expect(ipcsQueue(msqid)).toEqual({ bytes: 6, messages: 1 });
    expect(asleepIn(receiver, 'do_msgrcv', 70, msqid)).toBe(true);
    expect(view().steps[5]!.question?.verdict?.correct).toBe('stays');
    await run.stepTo(7);
    await run.returned(6);
    expect(ipcsQueue(msqid)).toEqual({ bytes: 13, messages: 2 });

    /* type 2 goes straight to the receiver, past the older types 1 and 3 */
    await run.stepTo(8);
    const byType = await run.returned(2);
    expect(byType.result).toBe(7);
    expect(Buffer.from(byType.data!, 'base64').toString()).toBe('banana\0');
    expect(ipcsQueue(msqid)).toEqual({ bytes: 13, messages: 2 });
    expect(msgRow(msqid)).toMatchObject({ lrpid: receiver, lspid: sender });

    await run.stepTo(9);
    const oldest = await run.returned(8);
    expect(Buffer.from(oldest.data!, 'base64').toString()).toBe('apple\0');
    expect(view().steps[8]!.question?.verdict?.correct).toBe('apple');
    expect(view().claims[1]!.verdict).toMatchObject({ holds: 'holds', measured: { 'msgrcv(type 2) got': '2', 'msgrcv(type 0) got': '1', 'qnum left': 1 } });
    expect(ipcsQueue(msqid)).toEqual({ bytes: 7, messages: 1 });

    /* msgmax: the kernel refuses the 9000-byte message, the queue is unchanged */
    await run.stepTo(10);
    const big = await run.returned(9);
    expect([big.result, big.errno]).toEqual([-1, 'EINVAL']);
    expect(big.text).toBe(`msgsnd(${msqid}, {type 4, <${MSG_TOO_BIG} bytes>}, ${MSG_TOO_BIG}, 0) = -1 EINVAL`);
    expect(ipcsQueue(msqid)).toEqual({ bytes: 7, messages: 1 });
    const msgmax = kernelLimit('msgmax');
    expect(view().claims[2]!.verdict).toMatchObject({ holds: 'holds', measured: { msgmax, 'message size': MSG_TOO_BIG, msgsnd: '-1 EINVAL' } });
    expect(view().claims[2]!.verdict!.text.en).toContain(`msgmax = ${msgmax} bytes`);
    expect(view().error).toBeNull();

    await run.stepTo(11);
    expect((await run.returned(10)).result).toBe(0);
    expect(queueCapacity(msqid)).toBe(SMALL_QBYTES);

    /* 7 + 36 > 40: the sender sleeps in do_msgsnd (69) */
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(sender, 'do_msgsnd', 69, msqid));
    expect(view().steps[11]!.question?.verdict?.correct).toBe('sleeps');
    expect(ipcsQueue(msqid)).toEqual({ bytes: 7, messages: 1 });

    /* the receiver takes "cherry" (type 3): room for 36, the sender's msgsnd returns 0 */
    await run.stepTo(13);
    const cherry = await run.returned(12);
    expect(Buffer.from(cherry.data!, 'base64').toString()).toBe('cherry\0');
    expect((await run.returned(11)).result).toBe(0);
    expect(ipcsQueue(msqid)).toEqual({ bytes: BLOCKED_SIZE, messages: 1 });
    /* the events tell the cause first: the msgrcv that made room, then the msgsnd it woke */
    const order = run.events.filter((e) => e.phase === 'return' && (e.step === 11 || e.step === 12)).map((e) => e.step);
    expect(order).toEqual([12, 11]);

    /* 36 + 36 > 40: asleep again */
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(sender, 'do_msgsnd', 69, msqid));

    /* IPC_RMID: the queue goes, the sender wakes with EIDRM */
    await run.stepTo(15);
    expect((await run.returned(14)).result).toBe(0);
    const woken = await run.returned(13);
    expect([woken.result, woken.errno]).toEqual([-1, 'EIDRM']);
    expect(msgRow(msqid)).toBeNull();
    expect(ipcsQueue(msqid)).toBeNull();
    expect(view().steps[14]!.question?.verdict?.correct).toBe('eidrm');
    expect(readFileSync(`${dir}/.sysv-msg`, 'utf8')).toBe('');

    await run.stepTo(msgqTyped.steps.length);
    await until(() => run!.runner.finished);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });

  it('stopped half-way, with messages queued and the receiver asleep, leaves no process and no queue', async () => {
    run = await LessonRun.start(msgqTyped);
    await run.stepTo(7);
    await run.returned(6);
    const msqid = Number(readFileSync(`${run.runner.dir!}/.sysv-msg`, 'utf8').trim());
    sweep.saw('msg', msqid);
    expect(ipcsQueue(msqid)).toEqual({ bytes: 13, messages: 2 });
    await run.disposeAndCheck();
    run = null;
    await until(() => msgRow(msqid) === null);
  });

  it('an engine killed with SIGKILL leaves no queue: the watchdog runs ipcrm -q', async () => {
    await killEngineFixture<FixtureLine & { msqid: number }>('msgq-engine-fixture.ts', {
      before: ({ msqid }) => {
        sweep.saw('msg', msqid);
        expect(msgRow(msqid)).not.toBeNull();
      },
      after: ({ msqid }) => until(() => msgRow(msqid) === null, 15_000),
    });
  }, 120_000);
});

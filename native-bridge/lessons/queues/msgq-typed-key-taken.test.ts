import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMsgbuf, IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_RMID, msgStat, sysv } from '../../libc/sysv';
import { kernelLimit, msgRow, msgqTyped } from './msgq-typed';
import { asleepInCall as asleepIn, LessonRun, until } from '../testing/lesson-run';
import { listed, SysvSweep } from '../testing/sysv-tables';

let run: LessonRun | null = null;
const sweep = new SysvSweep();
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  sweep.removeLeft();
});

describe('message queue lesson, when ftok\'s key is already taken', () => {
  it('makes its own queue under a new key; the queue that held the first key keeps its message, capacity and life', async () => {
    run = await LessonRun.start(msgqTyped);
    const dir = run.runner.dir!;
    /* 'q': the key glibc gives for the lesson's directory, held by a queue of this test's with one message in it */
    const key = sysv.ftok(dir, 0x71);
    const theirs = sysv.msgget(key, IPC_CREAT | IPC_EXCL | 0o600);
    expect(theirs).toBeGreaterThanOrEqual(0);
    sweep.saw('msg', theirs);
    const word = new TextEncoder().encode('theirs\0');
    expect(sysv.msgsnd(theirs, encodeMsgbuf(9, word), word.length, IPC_NOWAIT)).toBe(0);
    const before = msgRow(theirs)!;
    expect(before).toMatchObject({ key, qnum: 1, cbytes: 7, lspid: process.pid, lrpid: 0 });

    await run.stepTo(2);
    const msqid = (await run.returned(1)).result!;
    expect(msqid).toBeGreaterThanOrEqual(0);
    sweep.saw('msg', msqid);
    expect(msqid).not.toBe(theirs);
    const fresh = readdirSync(dir).filter((name) => name.startsWith('ftok-'));
    expect(fresh).toHaveLength(1);
    const freshKey = sysv.ftok(join(dir, fresh[0]!), 0x71);
    expect(msgRow(msqid)).toMatchObject({ key: freshKey, qnum: 0 });
    expect(run.runner.view(false, 1).error).toBeNull();

    const [receiver, sender] = [run.pid('receiver'), run.pid('sender')];
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(receiver, 'do_msgrcv', 70, msqid));
    /* the sender's ftok and msgget(key, 0) reach the lesson's queue */
    await run.stepTo(5);
    expect((await run.returned(3)).result).toBe(freshKey);
    expect((await run.returned(4)).result).toBe(msqid);
    await run.stepTo(11);
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(sender, 'do_msgsnd', 69, msqid));
    await run.stepTo(13);
    expect((await run.step()).status).toBe('blocked');
    await until(() => asleepIn(sender, 'do_msgsnd', 69, msqid));
    await run.stepTo(msgqTyped.steps.length);
    await until(() => run!.runner.finished);
    expect(run.runner.view(false, 1).error).toBeNull();
    expect(msgRow(msqid)).toBeNull();

    /* IPC_SET and IPC_RMID went to the lesson's queue: the test's still has its message and the default capacity */
    expect(msgRow(theirs)).toMatchObject({ key, qnum: 1, cbytes: 7, lspid: process.pid, lrpid: 0, ctime: before.ctime });
    /* msg_qbytes is not in /proc/sysvipc/msg: IPC_STAT has it */
    expect(msgStat(theirs).qbytes).toBe(kernelLimit('msgmnb'));
    await run.disposeAndCheck();
    run = null;
    expect(sysv.msgctl(theirs, IPC_RMID, null)).toBe(0);
    expect(listed('msg', theirs)).toBe(false);
  });
});

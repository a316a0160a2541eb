import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import type { MqueueObject } from '../../model/snapshot-types';
import { takeSnapshot } from '../../probe/sampler';
import { MQ_MSGSIZE, MQ_TOO_BIG, msgqPosix } from './msgq-posix';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

/* the processes in an IPC namespace (/proc/PID/ns/ipc links read "ipc:[inode]"): none once it is gone, and with it its queues */
function processesIn(ipcNs: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/ipc`) === ipcNs) pids.push(Number(entry));
    } catch {
      /* gone, or a kernel thread */
    }
  }
  return pids;
}

/* the mqueue lines of a process's mount table */
const mqueueMounts = (pid: number | 'self'): string[] => readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').filter((l) => l.includes(' - mqueue '));

describe('a POSIX message queue, by priority, in namespaces of its own', () => {
  it('private IPC and mount namespaces with an mqueue mount only the sender sees; receive by priority 9, 5, 1; EMSGSIZE past mq_msgsize; a receive asleep in wq_sleep; nothing left', async () => {
    run = await LessonRun.start(msgqPosix);
    const dir = run.runner.dir!;
    const sender = run.pid('sender');
    const view = () => run!.runner.view(false, 1);
    const hostIpc = readlinkSync('/proc/self/ns/ipc');

    await run.stepTo(3);
    for (const i of [0, 1, 2]) expect((await run.returned(i)).result).toBe(0);
    const ipcNs = readlinkSync(`/proc/${sender}/ns/ipc`);
    expect(ipcNs).not.toBe(hostIpc);
    expect(readlinkSync(`/proc/${sender}/ns/mnt`)).not.toBe(readlinkSync('/proc/self/ns/mnt'));
    /* the mount is in the sender's table and nowhere else: the machine's has no mqueue mount, the lesson dir looks empty from here */
    expect(mqueueMounts(sender).some((l) => l.includes(`${dir}/mqueue`))).toBe(true);
    expect(mqueueMounts('self')).toEqual([]);
    expect(readdirSync(`${dir}/mqueue`)).toEqual([]);
    expect(view().claims[0]!.verdict?.holds).toBe('holds');

    await run.stepTo(7);
    const name = `/${dir.split('/').pop()!}`;
    /* the picture shows the queue from mq_open on */
    expect(view().objects).toContain(`mqueue:${name}`);
    /* the queue file, through the sender's root: 3 messages, 4 + 5 + 7 bytes */
    const queueFile = `/proc/${sender}/root${dir}/mqueue/${name.slice(1)}`;
    expect(readFileSync(queueFile, 'utf8')).toMatch(/^QSIZE:16\s/);
    /* the probe reads it too, though the sender holds the queue for writing only (pread on its descriptor: EBADF) */
    const probed = () => takeSnapshot({ pids: run!.runner.pids() }).objects.find((o): o is MqueueObject => o.kind === 'mqueue' && o.name === name);
    expect(probed()).toMatchObject({ messages: 3, queued: 16, maxMessages: 4, messageSize: MQ_MSGSIZE });

    await run.stepTo(8);
    const big = await run.returned(7);
    expect([big.result, big.errno]).toEqual([-1, 'EMSGSIZE']);
    expect(view().claims[1]!.verdict).toMatchObject({ holds: 'holds', measured: { 'message size': MQ_TOO_BIG, mq_msgsize: MQ_MSGSIZE, QSIZE: 16 } });
    expect(view().claims[1]!.verdict!.text.en).toContain(`mq_msgsize = ${MQ_MSGSIZE} bytes`);

    /* the receiver is born in the sender's namespaces */
    await run.stepTo(10);
    const receiver = run.pid('receiver');
    expect(readlinkSync(`/proc/${receiver}/ns/ipc`)).toBe(ipcNs);
    const got: string[] = [];
    await run.stepTo(13);
    for (const i of [10, 11, 12]) {
      const r = await run.returned(i);
      got.push(Buffer.from(r.data!, 'base64').toString('latin1').replace(/\0+$/, ''));
    }
    expect(got).toEqual(['high', 'middle', 'low']);
    expect(view().steps[10]!.question?.verdict?.correct).toBe('high');
    expect(readFileSync(queueFile, 'utf8')).toMatch(/^QSIZE:0\s/);

    expect((await run.step()).status).toBe('blocked');
    await until(() => {
      const w = readKernelWait(receiver);
      return w !== null && w.state === 'S' && w.wchan === 'wq_sleep' && w.syscallNr === 243;
    });
    expect(view().steps[13]!.question?.verdict?.correct).toBe('sleeps');
    await run.stepTo(15);
    expect((await run.returned(13)).result).toBe(5);

    await run.stepTo(msgqPosix.steps.length);
    await until(() => run!.runner.finished);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    run = null;
    await until(() => processesIn(ipcNs).length === 0);
  });

  it('stopped half-way with messages queued: no process, and the namespace (with its queue) is gone', async () => {
    run = await LessonRun.start(msgqPosix);
    await run.stepTo(7);
    await run.returned(6);
    const ipcNs = readlinkSync(`/proc/${run.pid('sender')}/ns/ipc`);
    await run.disposeAndCheck();
    run = null;
    await until(() => processesIn(ipcNs).length === 0);
  });

  it('an engine killed with SIGKILL leaves no process in the lesson\'s IPC namespace, so no queue', async () => {
    await killEngineFixture<FixtureLine & { ipcNs: string }>('mq-engine-fixture.ts', {
      before: ({ ipcNs }) => expect(processesIn(ipcNs).length).toBeGreaterThan(0),
      after: ({ ipcNs }) => until(() => processesIn(ipcNs).length === 0, 15_000),
    });
  }, 120_000);
});

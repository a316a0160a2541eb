import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { SHM_MESSAGE, SHM_REQUESTED, mappedLength, shmRow, shmServerClient } from './shm-server-client';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';
import { memoryAt, segmentMappedAt } from '../testing/process-memory';
import { segmentsOfKey, SysvSweep } from '../testing/sysv-tables';

let run: LessonRun | null = null;
const sweep = new SysvSweep();
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  sweep.removeLeft();
});

function shmidFromRecord(dir: string): number {
  return sweep.saw('shm', Number(readFileSync(`${dir}/.sysv-shm`, 'utf8').trim()));
}

describe('shared memory, server and client', () => {
  it('ftok keeps 8 bits of proj_id, IPC_EXCL gives EEXIST, nattch 0-1-2-1-0, page-rounded, bytes with no syscall, alive after the creator until IPC_RMID', async () => {
    run = await LessonRun.start(shmServerClient);
    const dir = run.runner.dir!;
    const [server, client] = [run.pid('server'), run.pid('client')];
    expect(parentOf(server)).not.toBe(client);
    expect(parentOf(client)).not.toBe(server);

    const view = () => run!.runner.view(false, 1);
    await run.stepTo(2);
    const key = (await run.returned(0)).result!;
    expect((await run.returned(1)).result).toBe(key);
    /* glibc: (proj_id & 0xff) << 24 */
    expect(key >>> 24).toBe(0x41);
    /* as ipcs prints keys */
    expect(view().steps[0]!.result).toBe(`= 0x${(key >>> 0).toString(16).padStart(8, '0')}`);
    expect(view().steps[1]!.question?.verdict?.correct).toBe('same');
    expect(view().claims[0]!.verdict?.holds).toBe('holds');

    await run.stepTo(3);
    const shmid = (await run.returned(2)).result!;
    sweep.saw('shm', shmid);
    expect(shmidFromRecord(dir)).toBe(shmid);
    expect(shmRow(shmid)).toMatchObject({ key, size: SHM_REQUESTED, nattch: 0, cpid: server });
    expect(segmentsOfKey(key)).toHaveLength(1);

    await run.stepTo(5);
    const excl = await run.returned(4);
    expect([excl.result, excl.errno]).toEqual([-1, 'EEXIST']);
    expect(view().steps[4]!.question?.verdict?.correct).toBe('eexist');
    /* still the one segment of that key */
    expect(segmentsOfKey(key)).toHaveLength(1);
    await run.stepTo(6);
    expect((await run.returned(5)).result).toBe(shmid);

    await run.stepTo(7);
    await run.returned(6);
    expect(shmRow(shmid)!.nattch).toBe(1);
    expect(mappedLength(server, shmid)).toBe(4096);
    /* shmat's result is the address the kernel mapped, as the server's maps show it */
    expect(view().steps[6]!.result).toBe(`= 0x${segmentMappedAt(server, shmid).toString(16)}`);
    expect((await run.returned(6)).text).toBe(`shmat(${shmid}, NULL, 0) = 0x${segmentMappedAt(server, shmid).toString(16)}`);
    expect((await run.returned(4)).text).toBe(`shmget(0x${(key >>> 0).toString(16)}, 4000, IPC_CREAT | IPC_EXCL | 0666) = -1 EEXIST`);
    expect(view().claims[1]!.verdict).toMatchObject({ holds: 'holds', measured: { requested: 4000, 'ipcs -m bytes': 4000, 'mapped (/proc/PID/maps)': 4096 } });
    await run.stepTo(8);
    await run.returned(7);
    expect(shmRow(shmid)!.nattch).toBe(2);
    expect(view().steps[7]!.question?.verdict?.correct).toBe('2');

    await run.stepTo(10);
    /* the kernel's view of the client's memory, where its maps put the segment, holds the server's string */
    expect(memoryAt(client, segmentMappedAt(client, shmid), SHM_MESSAGE.length).toString()).toBe(SHM_MESSAGE);
    expect(Buffer.from((await run.returned(9)).data!, 'base64').toString()).toBe(`${SHM_MESSAGE}\0`);

    await run.stepTo(11);
    await run.returned(10);
    expect(shmRow(shmid)!.nattch).toBe(1);
    await run.stepTo(12);
    await until(() => readKernelWait(server) === null || readKernelWait(server)!.state === 'Z');
    expect(shmRow(shmid)).toMatchObject({ nattch: 1, cpid: server });
    expect(view().claims[2]!.verdict?.holds).toBe('holds');

    await run.stepTo(13);
    await run.returned(12);
    expect(shmRow(shmid)).toMatchObject({ nattch: 0, size: SHM_REQUESTED });
    expect(view().steps[12]!.question?.verdict?.correct).toBe('yes');

    await run.stepTo(14);
    expect((await run.returned(13)).result).toBe(0);
    expect(shmRow(shmid)).toBeNull();
    expect(readFileSync(`${dir}/.sysv-shm`, 'utf8')).toBe('');
    await run.stepTo(shmServerClient.steps.length);
    await until(() => run!.runner.finished);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    run = null;
  });

  it('stopped half-way, with both attached, leaves no process and no segment', async () => {
    run = await LessonRun.start(shmServerClient);
    await run.stepTo(8);
    await run.returned(7);
    const shmid = shmidFromRecord(run.runner.dir!);
    expect(shmRow(shmid)!.nattch).toBe(2);
    await run.disposeAndCheck();
    run = null;
    await until(() => shmRow(shmid) === null);
  });

  it('an engine killed with SIGKILL leaves no segment: the watchdog runs ipcrm -m', async () => {
    await killEngineFixture<FixtureLine & { shmid: number }>('shm-engine-fixture.ts', {
      before: ({ shmid }) => {
        sweep.saw('shm', shmid);
        expect(shmRow(shmid)!.nattch).toBe(2);
      },
      after: ({ shmid }) => until(() => shmRow(shmid) === null, 15_000),
    });
  }, 120_000);
});

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { GETNCNT, GETVAL, GETZCNT, SYS_SEMTIMEDOP, sysv } from '../../libc/sysv';
import type { SemSetObject } from '../../model/snapshot-types';
import { takeSnapshot } from '../../probe/sampler';
import { counterIn, EXPECTED, semCounter, semRow } from './sem-counter';
import { shmRow } from './shm-claims';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';
import { segmentMappedAt } from '../testing/process-memory';
import { SysvSweep } from '../testing/sysv-tables';

let run: LessonRun | null = null;
const sweep = new SysvSweep();
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  sweep.removeLeft();
});

const [GATE, MUTEX, SLOTS] = [0, 1, 3];
const semctl = (semid: number, num: number, cmd: number): number => sysv.semctlInt(semid, num, cmd, 0);

/** The kernel shows the process asleep in semtimedop on this set. */
function asleepOnSet(pid: number, semid: number): boolean {
  const wait = readKernelWait(pid);
  return wait?.state === 'S' && wait.wchan === '__do_semtimedop' && wait.syscallNr === SYS_SEMTIMEDOP && wait.arg0 === semid;
}

const semObject = (pids: number[], semid: number): SemSetObject | undefined =>
  takeSnapshot({ pids }).objects.find((o): o is SemSetObject => o.kind === 'sem' && o.semid === semid);

describe('semaphores guarding shared memory', () => {
  it('loses increments without the semaphore (counted in the segment), none with it; a waiter in semop on the mutex and on the counting semaphore; nothing left', async () => {
    run = await LessonRun.start(semCounter);
    const dir = run.runner.dir!;
    const view = () => run!.runner.view(false, 1);
    const [main, adder1, adder2, waiter] = ['main', 'adder1', 'adder2', 'waiter'].map((r) => run!.pid(r)) as [number, number, number, number];
    for (const [index, choice] of [
      [1, 'one'],
      [11, 'short'],
      [18, 'exact'],
      [20, 'sleeps'],
      [26, 'sleeps'],
    ] as const)
      run.runner.answer(index, choice);

    await run.stepTo(3);
    const shmid = (await run.returned(0)).result!;
    const semid = (await run.returned(1)).result!;
    sweep.saw('shm', shmid);
    sweep.saw('sem', semid);
    expect(readFileSync(`${dir}/.sysv-sem`, 'utf8')).toBe(`${semid}\n`);
    /* ipcs -s: one set of four semaphores, all 0 */
    expect(semRow(semid)).toMatchObject({ nsems: 4 });
    for (let num = 0; num < 4; num++) expect(semctl(semid, num, GETVAL)).toBe(0);
    expect(view().steps[1]!.question?.verdict?.correct).toBe('zero');
    const counter = `0x${segmentMappedAt(main, shmid).toString(16)}`;

    /* round 1: both adders asleep at the gate, waiting for zero */
    await run.stepTo(9);
    expect(view().steps[7]!.status).toBe('blocked');
    expect(view().steps[8]!.status).toBe('blocked');
    await until(() => asleepOnSet(adder1, semid) && asleepOnSet(adder2, semid), 30_000);
    expect([semctl(semid, GATE, GETVAL), semctl(semid, GATE, GETZCNT)]).toEqual([1, 2]);
    expect(semObject([main, adder1, adder2, waiter], semid)?.waiting).toEqual([adder1, adder2].sort((a, b) => a - b));

    await run.stepTo(12);
    await run.returned(11);
    const unlocked = counterIn(main, counter);
    const lost = EXPECTED - unlocked;
    console.log(`sem-counter: without the semaphore the segment holds ${unlocked} of ${EXPECTED} (${lost} lost)`);
    expect(unlocked).toBeLessThanOrEqual(EXPECTED);
    expect((await run.returned(11)).result).toBe(unlocked);
    expect(view().steps[11]!.question?.verdict?.correct).toBe(lost > 0 ? 'short' : 'exact');
    expect(view().claims[0]!.verdict).toMatchObject({ holds: lost > 0 ? 'holds' : 'partly', measured: { counter: unlocked, lost } });

    await run.stepTo(13);
    await run.returned(12);
    expect(counterIn(main, counter)).toBe(0);

    /* round 2: with P and V around each increment */
    await run.stepTo(19);
    await run.returned(18);
    expect(counterIn(main, counter)).toBe(EXPECTED);
    expect((await run.returned(18)).result).toBe(EXPECTED);
    expect(view().steps[18]!.question?.verdict?.correct).toBe('exact');
    expect(view().claims[1]!.verdict).toMatchObject({ holds: 'holds', measured: { counter: EXPECTED } });
    expect(semctl(semid, MUTEX, GETVAL)).toBe(1);

    /* the third process in the mutex's queue */
    await run.stepTo(21);
    expect(view().steps[20]!.status).toBe('blocked');
    await until(() => asleepOnSet(waiter, semid), 30_000);
    expect([semctl(semid, MUTEX, GETVAL), semctl(semid, MUTEX, GETNCNT)]).toEqual([0, 1]);
    /* the probe reads what the waiter asked semop for from its memory: take 1 from the mutex */
    expect(semObject([main, adder1, adder2, waiter], semid)).toMatchObject({ waiting: [waiter], waitOps: [{ pid: waiter, num: MUTEX, op: -1 }] });
    expect(view().steps[20]!.question?.verdict?.correct).toBe('sleeps');
    await run.stepTo(22);
    expect((await run.returned(20)).result).toBe(0);
    expect([semctl(semid, MUTEX, GETVAL), semctl(semid, MUTEX, GETNCNT)]).toEqual([0, 0]);
    /* sempid: the waiter made the last operation on the mutex */
    await run.stepTo(23);
    await run.returned(22);
    expect(sysv.semctlInt(semid, MUTEX, 11 /* GETPID */, 0)).toBe(waiter);

    /* the counting semaphore: two places, three takers */
    await run.stepTo(27);
    expect(view().steps[26]!.status).toBe('blocked');
    await until(() => asleepOnSet(waiter, semid), 30_000);
    expect([semctl(semid, SLOTS, GETVAL), semctl(semid, SLOTS, GETNCNT)]).toEqual([0, 1]);
    expect(view().claims[2]!.verdict).toMatchObject({ holds: 'holds', measured: { semval: 0, semncnt: 1 } });
    await run.stepTo(28);
    expect((await run.returned(26)).result).toBe(0);
    expect(semctl(semid, SLOTS, GETVAL)).toBe(0);

    /* IPC_RMID: the set goes at once, the attached segment is marked for deletion */
    await run.stepTo(29);
    expect((await run.returned(28)).result).toBe(0);
    expect(semRow(semid)).toBeNull();
    expect(readFileSync(`${dir}/.sysv-sem`, 'utf8')).toBe('');
    await run.stepTo(30);
    await run.returned(29);
    expect(shmRow(shmid)).toMatchObject({ key: 0, nattch: 3 });
    expect((shmRow(shmid)?.perms ?? 0) & 0o1000).toBe(0o1000);
    await run.stepTo(semCounter.steps.length);
    await until(() => run!.runner.finished, 30_000);
    await until(() => shmRow(shmid) === null, 30_000);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    run = null;
    /* 400000 increments on two cores: past vitest's 30 s at a load average of 17 */
  }, 120_000);

  it('stopped half-way, with both adders asleep at the gate, leaves no process, no set and no segment', async () => {
    run = await LessonRun.start(semCounter);
    run.runner.questionsOn = false;
    await run.stepTo(9);
    const shmid = (await run.returned(0)).result!;
    const semid = (await run.returned(1)).result!;
    sweep.saw('shm', shmid);
    sweep.saw('sem', semid);
    await until(() => semctl(semid, GATE, GETZCNT) === 2, 30_000);
    await run.disposeAndCheck();
    run = null;
    expect(semRow(semid)).toBeNull();
    await until(() => shmRow(shmid) === null);
  });

  it('an engine killed with SIGKILL leaves no set and no segment: the watchdog runs ipcrm -s and -m', async () => {
    await killEngineFixture<FixtureLine & { shmid: number; semid: number }>('sem-engine-fixture.ts', {
      before: ({ shmid, semid }) => {
        sweep.saw('shm', shmid);
        sweep.saw('sem', semid);
        expect(semRow(semid)).not.toBeNull();
        expect(shmRow(shmid)!.nattch).toBe(3);
      },
      after: ({ shmid, semid }) => until(() => semRow(semid) === null && shmRow(shmid) === null, 20_000),
      timeoutMs: 20_000,
    });
  }, 120_000);
});

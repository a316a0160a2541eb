import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_EXCL, IPC_RMID, sysv } from '../../libc/sysv';
import { keyTakenNote } from '../sysv-fresh-key';
import { SHM_REQUESTED, shmRow, shmServerClient } from './shm-server-client';
import { LessonRun, until } from '../testing/lesson-run';
import { listed, segmentsOfKey, SysvSweep } from '../testing/sysv-tables';

let run: LessonRun | null = null;
const sweep = new SysvSweep();
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  sweep.removeLeft();
});

const hex = (key: number) => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

describe('shared memory lesson, when ftok\'s key is already taken', () => {
  it('makes a new directory and key, never touches the segment that holds the first key, and the client follows', async () => {
    run = await LessonRun.start(shmServerClient);
    const dir = run.runner.dir!;
    /* the key glibc gives for the lesson's directory, computed here, held by a segment of this test's */
    const key = sysv.ftok(dir, 0x41);
    const theirs = sysv.shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0o600);
    expect(theirs).toBeGreaterThanOrEqual(0);
    sweep.saw('shm', theirs);

    await run.stepTo(3);
    expect((await run.returned(0)).result).toBe(key);
    const created = await run.returned(2);
    const shmid = created.result!;
    expect(shmid).toBeGreaterThanOrEqual(0);
    sweep.saw('shm', shmid);
    expect(shmid).not.toBe(theirs);
    /* the lesson's segment sits under the key of a new directory inside its own */
    const fresh = readdirSync(dir).filter((name) => name.startsWith('ftok-'));
    expect(fresh).toHaveLength(1);
    const freshKey = sysv.ftok(join(dir, fresh[0]!), 0x41);
    expect(freshKey).not.toBe(key);
    expect(shmRow(shmid)).toMatchObject({ key: freshKey, size: SHM_REQUESTED, cpid: run.pid('server') });
    expect(segmentsOfKey(key)).toEqual([expect.objectContaining({ shmid: theirs, cpid: process.pid, nattch: 0, size: 4096 })]);
    const view = () => run!.runner.view(false, 1);
    expect(view().steps[2]!.result).toBe(`= ${shmid} (key ${hex(freshKey)})`);
    expect(view().steps[2]!.explain.en).toContain('ftok keeps only 16 bits of the inode');
    expect(view().error).toBeNull();

    /* the client computes the new key and finds the lesson's segment, not the test's */
    await run.stepTo(6);
    expect((await run.returned(3)).result).toBe(freshKey);
    expect((await run.returned(4)).errno).toBe('EEXIST');
    expect((await run.returned(5)).result).toBe(shmid);

    await run.stepTo(shmServerClient.steps.length);
    await until(() => run!.runner.finished);
    expect(view().error).toBeNull();
    expect(shmRow(shmid)).toBeNull();
    /* the test's segment: still there, never attached, as the test made it */
    expect(shmRow(theirs)).toMatchObject({ key, cpid: process.pid, lpid: 0, nattch: 0, size: 4096 });
    await run.disposeAndCheck();
    run = null;
    expect(sysv.shmctl(theirs, IPC_RMID, null)).toBe(0);
    expect(listed('shm', theirs)).toBe(false);
  });

  it('a key still taken is named with its owner, as ipcs lists it', () => {
    const key = 0x4100_0000 | (process.pid & 0xffff);
    const theirs = sysv.shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0o600);
    if (theirs < 0) return; /* someone else holds this key: nothing of ours to name */
    sweep.saw('shm', theirs);
    const note = keyTakenNote('shm', { errno: 'EEXIST', data: { key, takenKeys: [1, 2, 3] } });
    expect(note).toBe(`key ${hex(key)} is taken by shmid ${theirs}, cuid ${process.getuid!()}, cpid ${process.pid} (ipcs); 3 other keys from new directories were taken too`);
    expect(sysv.shmctl(theirs, IPC_RMID, null)).toBe(0);
  });
});

import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { FIRST_MESSAGE, SECOND_MESSAGE, fileBytes, fileMappings, locksOn, mmapLock } from './mmap-lock';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';
import { memoryAt } from '../testing/process-memory';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const CASES = [
  { lock: 'flock', type: 'FLOCK', wchan: 'locks_lock_inode_wait', syscallNr: 73 },
  { lock: 'fcntl', type: 'POSIX', wchan: 'fcntl_setlk', syscallNr: 72 },
] as const;

describe('a shared file: mmap and a file lock', () => {
  for (const c of CASES) {
    it(`${c.lock}: both map the file's pages, stores cross with no syscall, the reader sleeps in ${c.wchan} until the writer lets go, nothing left`, async () => {
      run = await LessonRun.start(mmapLock, { lock: c.lock });
      const dir = run.runner.dir!;
      const path = `${dir}/shared.dat`;
      const [writer, reader] = [run.pid('writer'), run.pid('reader')];
      expect(parentOf(writer)).not.toBe(reader);
      expect(parentOf(reader)).not.toBe(writer);
      const view = () => run!.runner.view(false, 1);

      await run.stepTo(2);
      await run.returned(1);
      const inode = statSync(path).ino;
      expect(statSync(path).size).toBe(4096);

      await run.stepTo(5);
      await run.returned(4);
      const [w] = fileMappings(writer, inode);
      const [r] = fileMappings(reader, inode);
      /* MAP_SHARED, read-write: "rw-s"; the same inode, each at its own address, one page each */
      expect(w).toMatchObject({ perms: 'rw-s', inode });
      expect(r).toMatchObject({ perms: 'rw-s', inode });
      expect(BigInt(`0x${w!.end}`) - BigInt(`0x${w!.start}`)).toBe(4096n);
      /* the lesson's object is named as /proc/locks and maps name the file: device major:minor, inode */
      expect(view().objects).toContain(`mmap:${w!.device}:${inode}`);

      await run.stepTo(7);
      await run.returned(6);
      /* the writer's store went to the reader's memory, and into the file, with no write() */
      expect(memoryAt(reader, BigInt(`0x${r!.start}`), FIRST_MESSAGE.length).toString('latin1')).toBe(FIRST_MESSAGE);
      expect(fileBytes(path, FIRST_MESSAGE.length)!.toString()).toBe(FIRST_MESSAGE);
      expect(Buffer.from((await run.returned(6)).data!, 'base64').subarray(0, FIRST_MESSAGE.length).toString()).toBe(FIRST_MESSAGE);
      expect(view().steps[6]!.question?.verdict?.correct).toBe('string');
      expect(view().claims[0]!.verdict).toMatchObject({ holds: 'holds', measured: { inode, 'bytes in the file': FIRST_MESSAGE } });

      await run.stepTo(8);
      expect((await run.returned(7)).result).toBe(0);
      /* the events read as the lesson's C, with the kernel's results */
      const fd = (await run.returned(0)).result!;
      expect((await run.returned(0)).text).toBe(`open(${JSON.stringify(path)}, O_RDWR | O_CREAT | O_CLOEXEC, 0600) = ${fd}`);
      expect((await run.returned(2)).text).toBe(`mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ${fd}, 0) = 0x${w!.start}`);
      expect((await run.returned(7)).text).toBe(c.lock === 'flock' ? `flock(${fd}, LOCK_EX) = 0` : `fcntl(${fd}, F_SETLKW, {F_WRLCK, SEEK_SET, 0, 0}) = 0`);
      expect(locksOn(inode)).toMatchObject([{ type: c.type, mode: 'WRITE', pid: writer, waiter: false }]);

      expect(await run.step()).toEqual({ index: 8, status: 'blocked' });
      expect(readKernelWait(reader)).toMatchObject({ state: 'S', wchan: c.wchan, syscallNr: c.syscallNr });
      await until(() => locksOn(inode).some((l) => l.waiter && l.pid === reader));
      expect(view().steps[8]!.question?.verdict?.correct).toBe('sleeps');
      expect(view().claims[1]!.verdict).toMatchObject({ holds: 'partly', measured: { holder: writer, wchan: c.wchan } });
      expect(view().objects).toContain(`lock:${locksOn(inode)[0]!.file}`);

      /* the writer changes the bytes under the lock, then lets go: the reader's call returns 0 */
      await run.stepTo(11);
      expect((await run.returned(8)).result).toBe(0);
      expect(locksOn(inode)).toMatchObject([{ type: c.type, mode: 'WRITE', pid: reader, waiter: false }]);
      await run.stepTo(12);
      expect(Buffer.from((await run.returned(11)).data!, 'base64').subarray(0, SECOND_MESSAGE.length).toString()).toBe(SECOND_MESSAGE);
      await run.stepTo(13);
      await run.returned(12);
      expect(locksOn(inode)).toEqual([]);

      await run.stepTo(14);
      await run.returned(13);
      expect(fileMappings(writer, inode)).toEqual([]);
      expect(fileMappings(reader, inode)).toHaveLength(1);
      await run.stepTo(17);
      await run.returned(16);
      expect(fileMappings(reader, inode)).toEqual([]);
      await run.stepTo(19);
      expect((await run.returned(18)).result).toBe(0);
      expect(existsSync(path)).toBe(false);
      await run.stepTo(mmapLock.steps.length);
      await until(() => run!.runner.finished);
      expect(view().error).toBeNull();
      await run.disposeAndCheck();
      run = null;
    });
  }

  it('stopped while the reader sleeps waiting for the lock, leaves no process, no lock and no file', async () => {
    run = await LessonRun.start(mmapLock);
    const dir = run.runner.dir!;
    await run.stepTo(8);
    expect(await run.step()).toEqual({ index: 8, status: 'blocked' });
    const inode = statSync(`${dir}/shared.dat`).ino;
    expect(locksOn(inode).length).toBe(2);
    const pids = [run.pid('writer'), run.pid('reader')];
    await run.disposeAndCheck();
    run = null;
    /* the file is gone, so its inode may already be another file's: no lock line of our processes */
    expect(locksOn(inode).filter((l) => l.pid !== null && pids.includes(l.pid))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('an engine killed with SIGKILL while the reader waits for the lock leaves no process, no lock, no file: the watchdog removes the directory', async () => {
    await killEngineFixture<FixtureLine & { inode: number }>('mmap-engine-fixture.ts', {
      before: ({ inode }) => expect(locksOn(inode).length).toBe(2),
      after: async ({ inode, pids }) => {
        /*
         * The file is gone, so its inode may already be another file's: no lock line of our processes. The kernel drops a
         * lock when the last reference to its open file goes, which can come a moment after the holder is reaped (a
         * reference a /proc reader held): wait for it, then assert.
         */
        const ours = () => locksOn(inode).filter((l) => l.pid !== null && pids.includes(l.pid));
        await until(() => ours().length === 0, 15_000).catch(() => undefined);
        expect(ours()).toEqual([]);
      },
    });
  }, 120_000);
});

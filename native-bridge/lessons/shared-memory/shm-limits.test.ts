import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { readSysvTable } from '../../probe/kinds/sysv/sysvipc-table';
import { LessonParamError, validateParams } from '../lesson-params';
import { SHM_SIZE_MAX } from './shm-limits';
import { shmServerClient } from './shm-server-client';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const shmRows = () => readSysvTable('shm');
const root = new URL('../..', import.meta.url).pathname;
const fixture = new URL('../testing/shm-limit-fixture.ts', import.meta.url).pathname;

describe('the shared-memory lesson at the kernel\'s size limits', () => {
  it('size 0: shmget fails with EINVAL and the lesson says it is below SHMMIN, 1 byte; nothing is left', async () => {
    const before = shmRows().length;
    run = await LessonRun.start(shmServerClient, { size: 0 });
    await run.stepTo(3);
    await until(() => run!.runner.view(false, 1).steps[2]!.status === 'failed');
    const view = run.runner.view(false, 1);
    expect(view.error).toBe('shmget failed: EINVAL (size 0 is below SHMMIN, 1 byte)');
    expect(view.steps[2]!.result).toBe('= -1 EINVAL');
    expect(shmRows()).toHaveLength(before);
    await run.disposeAndCheck();
    run = null;
  });

  it('a size beyond shmmax (lowered to 8192 in a private IPC namespace): EINVAL, named with /proc/sys/kernel/shmmax and its value; nothing is left', () => {
    const script = `echo 8192 > /proc/sys/kernel/shmmax && exec "${process.execPath}" --import tsx "${fixture}" 10000`;
    const out = execFileSync('unshare', ['--ipc', '--', 'sh', '-c', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(out.trim().split('\n').pop()!) as { error: string; status: string; shmmax: string; during: number; after: number; dirLeft: boolean; pids: number[] };
    expect(report.shmmax).toBe('8192');
    expect(report.status).toBe('failed');
    expect(report.error).toBe('shmget failed: EINVAL (size 10000 is beyond shmmax: /proc/sys/kernel/shmmax is 8192)');
    expect([report.during, report.after, report.dirLeft]).toEqual([0, 0, false]);
    for (const pid of report.pids) expect(readKernelWait(pid)).toBeNull();
    /* this namespace's limit is untouched */
    expect(readFileSync('/proc/sys/kernel/shmmax', 'utf8').trim()).not.toBe('8192');
  });

  it('a size outside the parameter\'s range is refused before any process starts, naming the range', () => {
    expect(() => validateParams(shmServerClient, { size: SHM_SIZE_MAX + 1 })).toThrow(LessonParamError);
    expect(() => validateParams(shmServerClient, { size: -1 })).toThrow(`parameter "size" must be a whole number from 0 to ${SHM_SIZE_MAX} (got -1)`);
  });
});

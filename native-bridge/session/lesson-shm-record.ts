/**
 * System V segments a lesson created, recorded in its private directory
 * (`<dir>/.sysv-shm`, one shmid a line) so that they are removed with it:
 * by LessonTempDir when the lesson stops or the engine exits, and by its
 * watchdog shell (`ipcrm -m ID`) when the engine is SIGKILLed. A segment is
 * not freed with the processes that used it (it lives until IPC_RMID), so
 * without this a lesson stopped half-way would leave it in `ipcs -m`.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_RMID, sysv } from '../libc/sysv';

export const SHM_RECORD = '.sysv-shm';

const recordOf = (dir: string): string => join(dir, SHM_RECORD);

function recorded(dir: string): number[] {
  const path = recordOf(dir);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** The lesson created segment `shmid`: remove it when the lesson's directory goes. */
export function recordShm(dir: string, shmid: number): void {
  appendFileSync(recordOf(dir), `${shmid}\n`);
}

/** The lesson removed `shmid` itself (IPC_RMID): forget it, so a later id reuse is never touched. */
export function forgetShm(dir: string, shmid: number): void {
  if (!existsSync(recordOf(dir))) return;
  writeFileSync(recordOf(dir), recorded(dir).filter((id) => id !== shmid).map((id) => `${id}\n`).join(''));
}

/** IPC_RMID of every recorded segment still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedShm(dir: string): void {
  for (const shmid of recorded(dir)) sysv.shmctl(shmid, IPC_RMID, null);
}

/** The watchdog's part, in sh: before the directory goes, `ipcrm -m` each recorded id. */
export const SHM_WATCHDOG_SH = `f="$0/${SHM_RECORD}"; if [ -f "$f" ]; then while read id; do ipcrm -m "$id" 2>/dev/null; done < "$f"; fi; `;

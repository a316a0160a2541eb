/**
 * System V semaphore sets a lesson created, recorded in its private directory
 * (`<dir>/.sysv-sem`, one semid a line), like lesson-shm-record.ts does for
 * segments: a set lives until IPC_RMID whatever happens to the processes that
 * used it, so LessonTempDir removes the recorded sets when the lesson stops or
 * the engine exits, and its watchdog shell runs `ipcrm -s ID` when the engine
 * is SIGKILLed.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_RMID, sysv } from '../libc/sysv';

export const SEM_RECORD = '.sysv-sem';

const recordOf = (dir: string): string => join(dir, SEM_RECORD);

function recorded(dir: string): number[] {
  const path = recordOf(dir);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** The lesson created set `semid`: remove it when the lesson's directory goes. */
export function recordSem(dir: string, semid: number): void {
  appendFileSync(recordOf(dir), `${semid}\n`);
}

/** The lesson removed `semid` itself (IPC_RMID): forget it, so a later id reuse is never touched. */
export function forgetSem(dir: string, semid: number): void {
  if (!existsSync(recordOf(dir))) return;
  writeFileSync(recordOf(dir), recorded(dir).filter((id) => id !== semid).map((id) => `${id}\n`).join(''));
}

/** IPC_RMID of every recorded set still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedSem(dir: string): void {
  for (const semid of recorded(dir)) sysv.semctlInt(semid, 0, IPC_RMID, 0);
}

/** The watchdog's part, in sh: before the directory goes, `ipcrm -s` each recorded id. */
export const SEM_WATCHDOG_SH = `f="$0/${SEM_RECORD}"; if [ -f "$f" ]; then while read id; do ipcrm -s "$id" 2>/dev/null; done < "$f"; fi; `;

/**
 * System V semaphore sets a lesson created, recorded in its private directory
 * (`<dir>/.sysv-sem`, one semid a line) so that they are removed with it
 * (lesson-record-file.ts; the watchdog runs `ipcrm -s ID`): a set lives until
 * IPC_RMID whatever happens to the processes that used it.
 */
import { IPC_RMID, sysv } from '../libc/sysv';
import { LessonRecordFile, SYSV_ID } from './lesson-record-file';

export const SEM_RECORD = '.sysv-sem';
const sets = new LessonRecordFile(SEM_RECORD, SYSV_ID);

export const recordSem = (dir: string, semid: number): void => sets.add(dir, semid);
/** The lesson removed `semid` itself (IPC_RMID). */
export const forgetSem = (dir: string, semid: number): void => sets.forget(dir, semid);

/** IPC_RMID of every recorded set still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedSem(dir: string): void {
  for (const semid of sets.entries(dir)) sysv.semctlInt(Number(semid), 0, IPC_RMID, 0);
}

export const SEM_WATCHDOG_SH = sets.ipcrmSh('s');

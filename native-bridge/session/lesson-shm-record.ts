/**
 * System V segments a lesson created, recorded in its private directory
 * (`<dir>/.sysv-shm`, one shmid a line) so that they are removed with it
 * (lesson-record-file.ts; the watchdog runs `ipcrm -m ID`). A segment is not
 * freed with the processes that used it (it lives until IPC_RMID), so without
 * this a lesson stopped half-way would leave it in `ipcs -m`.
 */
import { IPC_RMID, sysv } from '../libc/sysv';
import { LessonRecordFile, SYSV_ID } from './lesson-record-file';

export const SHM_RECORD = '.sysv-shm';
const segments = new LessonRecordFile(SHM_RECORD, SYSV_ID);

export const recordShm = (dir: string, shmid: number): void => segments.add(dir, shmid);
/** The lesson removed `shmid` itself (IPC_RMID). */
export const forgetShm = (dir: string, shmid: number): void => segments.forget(dir, shmid);

/** IPC_RMID of every recorded segment still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedShm(dir: string): void {
  for (const shmid of segments.entries(dir)) sysv.shmctl(Number(shmid), IPC_RMID, null);
}

export const SHM_WATCHDOG_SH = segments.ipcrmSh('m');

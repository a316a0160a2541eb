/**
 * System V message queues a lesson created, recorded in its private
 * directory (`<dir>/.sysv-msg`, one msqid a line) so that they go with it:
 * by LessonTempDir when the lesson stops or the engine exits, and by its
 * watchdog shell (`ipcrm -q ID`) when the engine is SIGKILLed. Like a
 * segment (lesson-shm-record.ts), a queue outlives every process that used
 * it: without this, a lesson stopped before its IPC_RMID would leave it in
 * `ipcs -q`, messages and all.
 */
import { posix } from '../libc/posix-ipc';
import { IPC_RMID, sysv } from '../libc/sysv';
import { LessonRecordFile, SYSV_ID } from './lesson-record-file';

export const MSG_RECORD = '.sysv-msg';
const queues = new LessonRecordFile(MSG_RECORD, SYSV_ID);

export const recordedMsg = (dir: string): number[] => queues.entries(dir).map(Number);
export const recordMsg = (dir: string, msqid: number): void => queues.add(dir, msqid);
/** The lesson removed `msqid` itself (IPC_RMID). */
export const forgetMsg = (dir: string, msqid: number): void => queues.forget(dir, msqid);

/** IPC_RMID of every recorded queue still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedMsg(dir: string): void {
  for (const msqid of recordedMsg(dir)) sysv.msgctl(msqid, IPC_RMID, null);
}

export const MSG_WATCHDOG_SH = queues.ipcrmSh('q');

/*
 * POSIX queues (`<dir>/.posix-mq`, one name a line). The msgq-posix lesson
 * makes its queue in an IPC namespace of its own, which dies with its
 * processes; when that unshare is refused (no CAP_SYS_ADMIN) the queue is
 * the machine's, and the engine mq_unlinks it when the lesson's directory
 * goes. (The watchdog shell cannot: sh has no mq_unlink, and without a
 * mounted mqueue filesystem there is no file to rm.)
 */
export const MQ_RECORD = '.posix-mq';
const names = new LessonRecordFile(MQ_RECORD, /^\/[A-Za-z0-9._-]{1,200}$/);

export const recordMq = (dir: string, name: string): void => names.add(dir, name);
export const forgetMq = (dir: string, name: string): void => names.forget(dir, name);

/** mq_unlink of every recorded name (ENOENT for one already gone, or made in the lesson's own namespace, is fine). */
export function removeRecordedMq(dir: string): void {
  for (const name of names.entries(dir)) posix.mqUnlink(name);
}

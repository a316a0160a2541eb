/**
 * System V message queues a lesson created, recorded in its private
 * directory (`<dir>/.sysv-msg`, one msqid a line) so that they go with it:
 * by LessonTempDir when the lesson stops or the engine exits, and by its
 * watchdog shell (`ipcrm -q ID`) when the engine is SIGKILLed. Like a
 * segment (lesson-shm-record.ts), a queue outlives every process that used
 * it: without this, a lesson stopped before its IPC_RMID would leave it in
 * `ipcs -q`, messages and all.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { posix } from '../libc/posix-ipc';
import { IPC_RMID, sysv } from '../libc/sysv';

export const MSG_RECORD = '.sysv-msg';

const recordOf = (dir: string): string => join(dir, MSG_RECORD);

export function recordedMsg(dir: string): number[] {
  const path = recordOf(dir);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** The lesson created queue `msqid`: remove it when the lesson's directory goes. */
export function recordMsg(dir: string, msqid: number): void {
  appendFileSync(recordOf(dir), `${msqid}\n`);
}

/** The lesson removed `msqid` itself (IPC_RMID): forget it, so a later id reuse is never touched. */
export function forgetMsg(dir: string, msqid: number): void {
  if (!existsSync(recordOf(dir))) return;
  writeFileSync(recordOf(dir), recordedMsg(dir).filter((id) => id !== msqid).map((id) => `${id}\n`).join(''));
}

/** IPC_RMID of every recorded queue still there (EINVAL/EIDRM for one already gone is fine). */
export function removeRecordedMsg(dir: string): void {
  for (const msqid of recordedMsg(dir)) sysv.msgctl(msqid, IPC_RMID, null);
}

/** The watchdog's part, in sh: before the directory goes, `ipcrm -q` each recorded id. */
export const MSG_WATCHDOG_SH = `f="$0/${MSG_RECORD}"; if [ -f "$f" ]; then while read id; do ipcrm -q "$id" 2>/dev/null; done < "$f"; fi; `;

/*
 * POSIX queues (`<dir>/.posix-mq`, one name a line). The msgq-posix lesson
 * makes its queue in an IPC namespace of its own, which dies with its
 * processes; when that unshare is refused (no CAP_SYS_ADMIN) the queue is
 * the machine's, and the engine mq_unlinks it when the lesson's directory
 * goes. (The watchdog shell cannot: sh has no mq_unlink, and without a
 * mounted mqueue filesystem there is no file to rm.)
 */
export const MQ_RECORD = '.posix-mq';

function recordedMq(dir: string): string[] {
  const path = join(dir, MQ_RECORD);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^\/[A-Za-z0-9._-]{1,200}$/.test(line));
}

export function recordMq(dir: string, name: string): void {
  appendFileSync(join(dir, MQ_RECORD), `${name}\n`);
}

export function forgetMq(dir: string, name: string): void {
  if (!existsSync(join(dir, MQ_RECORD))) return;
  writeFileSync(join(dir, MQ_RECORD), recordedMq(dir).filter((n) => n !== name).map((n) => `${n}\n`).join(''));
}

/** mq_unlink of every recorded name (ENOENT for one already gone, or made in the lesson's own namespace, is fine). */
export function removeRecordedMq(dir: string): void {
  for (const name of recordedMq(dir)) posix.mqUnlink(name);
}

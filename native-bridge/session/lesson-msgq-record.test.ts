import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errnoName } from '../libc/errno';
import { O_CLOEXEC, O_RDONLY, lastErrno, native } from '../libc/libc';
import { O_CREAT, posix } from '../libc/posix-ipc';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../libc/sysv';
import { forgetMq, recordMq, recordMsg, removeRecordedMq, removeRecordedMsg } from './lesson-msgq-record';

let dir: string | null = null;
const names: string[] = [];
const msqids: number[] = [];
afterEach(() => {
  for (const name of names.splice(0)) posix.mqUnlink(name);
  for (const id of msqids.splice(0)) sysv.msgctl(id, IPC_RMID, null);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const listed = (msqid: number): boolean => readFileSync('/proc/sysvipc/msg', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1] === String(msqid));
/* a POSIX queue exists while mq_open of its name succeeds */
function mqExists(name: string): boolean {
  const fd = posix.mqOpen(name, O_RDONLY | O_CLOEXEC, 0, null);
  if (fd < 0) {
    expect(errnoName(lastErrno())).toBe('ENOENT');
    return false;
  }
  native.close(fd);
  return true;
}

describe('queues recorded in a lesson directory', () => {
  it('removes the recorded System V queue (IPC_RMID) and the recorded POSIX queue (mq_unlink), and not one forgotten', () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-lesson-'));
    const msqid = sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    msqids.push(msqid);
    recordMsg(dir, msqid);
    const name = `/${basename(dir)}`;
    const kept = `${name}-kept`;
    for (const n of [name, kept]) {
      names.push(n);
      const fd = posix.mqOpen(n, O_CREAT | O_RDONLY | O_CLOEXEC, 0o600, null);
      expect(fd).toBeGreaterThanOrEqual(0);
      native.close(fd);
      recordMq(dir, n);
    }
    forgetMq(dir, kept);
    expect([listed(msqid), mqExists(name), mqExists(kept)]).toEqual([true, true, true]);
    removeRecordedMsg(dir);
    removeRecordedMq(dir);
    expect([listed(msqid), mqExists(name), mqExists(kept)]).toEqual([false, false, true]);
  });
});

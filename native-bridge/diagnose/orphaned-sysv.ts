/**
 * Orphaned System V objects: they outlive every process (the kernel keeps them
 * until IPC_RMID or reboot), so one nobody uses and whose creator is gone is
 * most likely left behind. Shared memory: no attacher (nattch 0) and neither
 * its creator (shm_cpid) nor its last user (shm_lpid) alive. Queues and
 * semaphore sets keep no creator PID: the last processes to use them
 * (msg_lspid/msg_lrpid, sempid) must all be gone and nobody waiting on them.
 * An object no process ever used (last PIDs all 0) is not judged.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { withEvidence } from './evidence-text';
import type { IpcObject } from '../model/snapshot-types';

/** Whether a PID names a living process; the index passes a /proc look-up, tests may pass the snapshot's own list. */
export type ProcessExists = (pid: number) => boolean;

function orphanFacts(object: IpcObject, exists: ProcessExists): DiagnosisFact[] | null {
  const gone = (pid: number): boolean => pid > 0 && !exists(pid);
  switch (object.kind) {
    case 'shm':
      if (object.markedForDeletion || object.nattch > 0 || object.attached.length > 0) return null;
      if (!gone(object.cpid) || (object.lpid > 0 && !gone(object.lpid))) return null;
      return [
        { fact: 'sysv-unused', object: object.id, sysv: 'shm', key: object.key, size: object.size },
        { fact: 'sysv-users-gone', object: object.id, sysv: 'shm', creator: object.cpid, lastPid: object.lpid },
      ];
    case 'msg': {
      const last = [object.lastSender, object.lastReceiver].filter((pid) => pid > 0);
      if (last.length === 0 || !last.every(gone) || object.waitingSenders.length + object.waitingReceivers.length > 0) return null;
      return [
        { fact: 'sysv-unused', object: object.id, sysv: 'msg', key: object.key, messages: object.messages, bytes: object.bytes },
        { fact: 'sysv-users-gone', object: object.id, sysv: 'msg', lastSender: object.lastSender, lastReceiver: object.lastReceiver },
      ];
    }
    case 'sem': {
      const last = [...new Set(object.semaphores.map((s) => s.lastPid).filter((pid) => pid > 0))];
      if (last.length === 0 || !last.every(gone) || object.waiting.length > 0) return null;
      return [
        { fact: 'sysv-unused', object: object.id, sysv: 'sem', key: object.key, semaphores: object.semaphores.length },
        { fact: 'sysv-users-gone', object: object.id, sysv: 'sem', sempids: last },
      ];
    }
    default:
      return null;
  }
}

export function findOrphanedSysv(objects: IpcObject[], exists: ProcessExists): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const object of objects) {
    const facts = orphanFacts(object, exists);
    if (facts) out.push({ kind: 'orphaned-sysv', processes: [], objects: [object.id], ...withEvidence(facts) });
  }
  return out;
}

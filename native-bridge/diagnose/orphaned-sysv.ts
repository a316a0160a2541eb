/**
 * Orphaned System V objects: they outlive every process (the kernel keeps them
 * until IPC_RMID or reboot), so one nobody uses and whose creator is gone is
 * most likely left behind. Shared memory: no attacher (nattch 0) and neither
 * its creator (shm_cpid) nor its last user (shm_lpid) alive. Queues and
 * semaphore sets keep no creator PID: the last processes to use them
 * (msg_lspid/msg_lrpid, sempid) must all be gone and nobody waiting on them.
 * An object no process ever used (last PIDs all 0) is not judged.
 */
import type { Diagnosis } from '../model/diagnosis-types';
import type { IpcObject } from '../model/snapshot-types';

/** Whether a PID names a living process; the index passes a /proc look-up, tests may pass the snapshot's own list. */
export type ProcessExists = (pid: number) => boolean;

function orphanEvidence(object: IpcObject, exists: ProcessExists): string[] | null {
  const gone = (pid: number): boolean => pid > 0 && !exists(pid);
  switch (object.kind) {
    case 'shm':
      if (object.markedForDeletion || object.nattch > 0 || object.attached.length > 0) return null;
      if (!gone(object.cpid) || (object.lpid > 0 && !gone(object.lpid))) return null;
      return [
        `${object.id} (key 0x${(object.key >>> 0).toString(16)}, ${object.size} bytes) has no attacher (nattch 0)`,
        `its creator pid ${object.cpid} is gone${object.lpid > 0 ? `, and so is pid ${object.lpid}, the last to attach or detach` : ''}: nothing removed it (IPC_RMID)`,
      ];
    case 'msg': {
      const last = [object.lastSender, object.lastReceiver].filter((pid) => pid > 0);
      if (last.length === 0 || !last.every(gone) || object.waitingSenders.length + object.waitingReceivers.length > 0) return null;
      return [
        `${object.id} (key 0x${(object.key >>> 0).toString(16)}) holds ${object.messages} message(s), ${object.bytes} bytes, and nobody waits on it`,
        `its last sender pid ${object.lastSender || '-'} and last receiver pid ${object.lastReceiver || '-'} are gone: nothing removed it (IPC_RMID)`,
      ];
    }
    case 'sem': {
      const last = [...new Set(object.semaphores.map((s) => s.lastPid).filter((pid) => pid > 0))];
      if (last.length === 0 || !last.every(gone) || object.waiting.length > 0) return null;
      return [
        `${object.id} (key 0x${(object.key >>> 0).toString(16)}, ${object.semaphores.length} semaphore(s)) has nobody waiting in semop`,
        `the last processes to change it (sempid ${last.join(', ')}) are gone: nothing removed it (IPC_RMID)`,
      ];
    }
    default:
      return null;
  }
}

export function findOrphanedSysv(objects: IpcObject[], exists: ProcessExists): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const object of objects) {
    const evidence = orphanEvidence(object, exists);
    if (evidence) out.push({ kind: 'orphaned-sysv', processes: [], objects: [object.id], evidence });
  }
  return out;
}

/**
 * A listener whose backlog is full: the kernel refuses (TCP) or puts to sleep
 * (Unix, unix_wait_for_peer) new connections once the connections waiting for
 * accept() exceed the backlog (unix_recvq_full / sk_acceptq_is_full: `>`).
 */
import type { Diagnosis } from '../model/diagnosis-types';
import { processName, sleepText } from './evidence-text';
import type { SnapshotIndex } from './wait-for';

export function findFullBacklogs(index: SnapshotIndex): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const object of index.objects.values()) {
    if (object.kind !== 'unix' && object.kind !== 'tcp') continue;
    if (object.pending === undefined || object.backlog === undefined || object.pending <= object.backlog) continue;
    const where = object.kind === 'unix' && object.path ? ` (${object.path})` : object.kind === 'tcp' ? ` (${object.local})` : '';
    const evidence = [`${object.id}${where} has ${object.pending} connection(s) waiting for accept(), more than its backlog of ${object.backlog}`];
    const holders = [...new Set(object.holders.map((h) => h.pid))];
    for (const pid of holders) {
      const proc = index.processes.get(pid);
      evidence.push(`${processName(pid, index)} holds the listener and is ${proc ? sleepText(proc) : 'outside the snapshot'}`);
    }
    const connecting = [...index.processes.values()].filter((p) => p.blocked?.op === 'connect' && p.blocked.object === object.id);
    for (const proc of connecting) evidence.push(`${processName(proc.pid, index)} is ${sleepText(proc)}`);
    out.push({ kind: 'backlog-full', processes: [...new Set([...holders, ...connecting.map((p) => p.pid)])], objects: [object.id], evidence });
  }
  return out;
}

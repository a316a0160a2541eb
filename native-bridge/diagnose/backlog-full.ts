/**
 * A listener whose backlog is full: the kernel refuses (TCP) or puts to sleep
 * (Unix, unix_wait_for_peer) new connections once the connections waiting for
 * accept() exceed the backlog (unix_recvq_full / sk_acceptq_is_full: `>`).
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, sleepOf, withEvidence } from './evidence-text';
import type { SnapshotIndex } from './wait-for';

export function findFullBacklogs(index: SnapshotIndex): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const object of index.objects.values()) {
    if (object.kind !== 'unix' && object.kind !== 'tcp') continue;
    if (object.pending === undefined || object.backlog === undefined || object.pending <= object.backlog) continue;
    const name = object.kind === 'unix' && object.path ? object.path : object.kind === 'tcp' ? object.local : null;
    const facts: DiagnosisFact[] = [{ fact: 'backlog-over', object: object.id, name, pending: object.pending, backlog: object.backlog }];
    const holders = [...new Set(object.holders.map((h) => h.pid))];
    for (const pid of holders) {
      const proc = index.processes.get(pid);
      facts.push({ fact: 'listener-holder', process: named(pid, index), sleep: proc ? sleepOf(proc) : null, state: proc ? proc.state : null });
    }
    const connecting = [...index.processes.values()].filter((p) => p.blocked?.op === 'connect' && p.blocked.object === object.id);
    for (const proc of connecting) facts.push({ fact: 'connecting', process: named(proc.pid, index), sleep: sleepOf(proc), state: proc.state });
    out.push({ kind: 'backlog-full', processes: [...new Set([...holders, ...connecting.map((p) => p.pid)])], objects: [object.id], ...withEvidence(facts) });
  }
  return out;
}

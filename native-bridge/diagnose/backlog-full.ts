/**
 * A listener whose backlog is full: the kernel refuses (TCP) or puts to sleep
 * (Unix, unix_wait_for_peer) new connections once the connections waiting for
 * accept() exceed the backlog (unix_recvq_full / sk_acceptq_is_full: `>`).
 *
 * The evidence names the listener, its pending/backlog, the processes that
 * hold it as a server (where each sleeps: is anyone in accept()?) and the
 * clients asleep in connect() on it, each once. A client forked with the
 * listener still open holds it too, but it is a client: one asleep in
 * connect() is named as such, one already in the queue (its socket's peer is
 * the listener, sock_diag ICONS) is neither a holder to blame nor involved.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, sleepOf, withEvidence } from './evidence-text';
import type { SnapshotIndex } from './wait-for';

/** The processes holding a socket still waiting in `listener`'s queue (its `peer` names the listener until accept()). */
function queuedClientPids(listener: string, index: SnapshotIndex): Set<number> {
  const pids = new Set<number>();
  for (const o of index.objects.values()) {
    if (o.kind !== 'unix' || o.peer !== listener) continue;
    for (const h of o.holders) pids.add(h.pid);
  }
  return pids;
}

export function findFullBacklogs(index: SnapshotIndex): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const object of index.objects.values()) {
    if (object.kind !== 'unix' && object.kind !== 'tcp') continue;
    if (object.pending === undefined || object.backlog === undefined || object.pending <= object.backlog) continue;
    const name = object.kind === 'unix' && object.path ? object.path : object.kind === 'tcp' ? object.local : null;
    const facts: DiagnosisFact[] = [{ fact: 'backlog-over', object: object.id, name, pending: object.pending, backlog: object.backlog }];
    const connecting = [...index.processes.values()].filter((p) => p.blocked?.op === 'connect' && p.blocked.object === object.id);
    const inConnect = new Set(connecting.map((p) => p.pid));
    const queued = queuedClientPids(object.id, index);
    const all = [...new Set(object.holders.map((h) => h.pid))].filter((pid) => !inConnect.has(pid));
    const servers = all.filter((pid) => !queued.has(pid));
    /* a process that listens and connects to itself is still the one holder that could accept() */
    const holders = servers.length > 0 ? servers : all;
    for (const pid of holders) {
      const proc = index.processes.get(pid);
      facts.push({ fact: 'listener-holder', process: named(pid, index), sleep: proc ? sleepOf(proc) : null, state: proc ? proc.state : null });
    }
    for (const proc of connecting) facts.push({ fact: 'connecting', process: named(proc.pid, index), sleep: sleepOf(proc), state: proc.state });
    out.push({ kind: 'backlog-full', processes: [...holders, ...connecting.map((p) => p.pid)], objects: [object.id], ...withEvidence(facts) });
  }
  return out;
}

/**
 * A writer asleep on a full pipe or socket whose readers are all asleep
 * elsewhere: nobody is draining the queue, so the write waits as long as
 * they do. "Elsewhere" is a wait only known processes can end (the wait-for
 * graph): a reader that is running, asleep in a timed wait (nanosleep ends on
 * its own), in a wait we cannot pin, or on this very object may still drain
 * it: no diagnosis.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, sleepOf, withEvidence } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

export function findBlockedWriters(graph: Map<number, WaitFor>, index: SnapshotIndex, alreadyExplained: Set<number>): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const wait of graph.values()) {
    if (alreadyExplained.has(wait.pid)) continue;
    const op = index.processes.get(wait.pid)?.blocked?.op;
    if (op !== 'write' && op !== 'send') continue;
    const readers = wait.satisfiers.filter((s) => s.pid !== wait.pid);
    if (readers.length === 0) continue;
    const facts: DiagnosisFact[] = [{ fact: 'waits', process: named(wait.pid, index), wait: wait.wait }];
    let allElsewhere = true;
    for (const reader of readers) {
      const proc = index.processes.get(reader.pid);
      const readerWait = graph.get(reader.pid);
      if (!proc || !readerWait || readerWait.object === wait.object) {
        allElsewhere = false;
        break;
      }
      facts.push({ fact: 'reader-elsewhere', process: named(reader.pid, index), needs: wait.needs, fd: reader.fd, sleep: sleepOf(proc), state: proc.state });
    }
    if (!allElsewhere) continue;
    out.push({ kind: 'blocked-writer', processes: [wait.pid, ...new Set(readers.map((r) => r.pid))], objects: [wait.object], ...withEvidence(facts) });
  }
  return out;
}

/**
 * A writer asleep on a full pipe or socket whose readers are all asleep
 * elsewhere: nobody is draining the queue, so the write waits as long as
 * they do. "Elsewhere" is a wait only known processes can end (the wait-for
 * graph): a reader that is running, asleep in a timed wait (nanosleep ends on
 * its own), in a wait we cannot pin, or on this very object may still drain
 * it: no diagnosis.
 */
import type { Diagnosis } from '../model/diagnosis-types';
import { fdText, processName, sleepText } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

export function findBlockedWriters(graph: Map<number, WaitFor>, index: SnapshotIndex, alreadyExplained: Set<number>): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const wait of graph.values()) {
    if (alreadyExplained.has(wait.pid)) continue;
    const op = index.processes.get(wait.pid)?.blocked?.op;
    if (op !== 'write' && op !== 'send') continue;
    const readers = wait.satisfiers.filter((s) => s.pid !== wait.pid);
    if (readers.length === 0) continue;
    const evidence = [`${processName(wait.pid, index)} ${wait.waits}`];
    let allElsewhere = true;
    for (const reader of readers) {
      const proc = index.processes.get(reader.pid);
      const readerWait = graph.get(reader.pid);
      if (!proc || !readerWait || readerWait.object === wait.object) {
        allElsewhere = false;
        break;
      }
      evidence.push(`${processName(reader.pid, index)} ${wait.needs} (${fdText(reader.fd)}) but is ${sleepText(proc)}`);
    }
    if (!allElsewhere) continue;
    out.push({ kind: 'blocked-writer', processes: [wait.pid, ...new Set(readers.map((r) => r.pid))], objects: [wait.object], evidence });
  }
  return out;
}

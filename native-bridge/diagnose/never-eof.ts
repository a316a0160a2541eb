/**
 * A reader that will never see EOF: it sleeps in read() on an empty pipe, and
 * every write end still open is held by itself or by processes asleep reading
 * that same pipe. read() returns 0 only once no write end is open anywhere
 * (pipe_read: `if (!pipe->writers) break;`), so the forgotten descriptors keep
 * every one of them asleep for good.
 */
import type { Diagnosis, DiagnosisDescriptor, DiagnosisFact } from '../model/diagnosis-types';
import { named, withEvidence } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

export function findNeverEof(graph: Map<number, WaitFor>, index: SnapshotIndex): Diagnosis[] {
  const readersByPipe = new Map<string, WaitFor[]>();
  for (const wait of graph.values()) {
    const object = index.objects.get(wait.object);
    const op = index.processes.get(wait.pid)?.blocked?.op;
    if ((object?.kind !== 'pipe' && object?.kind !== 'fifo') || op !== 'read') continue;
    readersByPipe.set(wait.object, [...(readersByPipe.get(wait.object) ?? []), wait]);
  }
  const out: Diagnosis[] = [];
  for (const [objectId, readers] of readersByPipe) {
    const asleepReading = new Set(readers.map((r) => r.pid));
    const writeEnds = readers[0]!.satisfiers;
    if (writeEnds.length === 0 || !writeEnds.every((w) => asleepReading.has(w.pid))) continue;
    const descriptors: DiagnosisDescriptor[] = writeEnds.map((w) => ({ pid: w.pid, fd: w.fd!, object: objectId }));
    const facts: DiagnosisFact[] = readers.map((r) => ({ fact: 'waits', process: named(r.pid, index), wait: r.wait }));
    for (const d of descriptors) facts.push({ fact: 'forgotten-write-end', process: named(d.pid, index), fd: d.fd, object: objectId });
    out.push({ kind: 'never-eof', processes: [...asleepReading], objects: [objectId], ...withEvidence(facts), descriptors });
  }
  return out;
}

/**
 * A reader asleep on an empty pipe whose write ends no process shown holds.
 * The kernel sleeps a reader only while a write end is open somewhere
 * (pipe_read: `if (!pipe->writers) break;`), and poll() on a read end says
 * so (no POLLHUP: PipeObject.hiddenWriters true): the end is in a process
 * this view does not show (another PID namespace, a process whose
 * descriptors cannot be read) or in flight in a Unix socket's queue. The
 * wait-for graph leaves such a wait out, since nobody named could end it
 * (wait-for.ts); this says where the waker is instead of saying nothing. No
 * deadlock or never-EOF claim: the unseen holder may yet write or close it.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, withEvidence } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

/** `leftOut`: the waits waitForGraph left out (no satisfier listed). */
export function findHiddenWriters(leftOut: readonly WaitFor[], index: SnapshotIndex): Diagnosis[] {
  const readersByPipe = new Map<string, WaitFor[]>();
  for (const wait of leftOut) {
    if (wait.wait.reason !== 'pipe-empty') continue;
    const object = index.objects.get(wait.object);
    /* FIFO: no POLLHUP is no answer (a reader opened O_NONBLOCK before any writer), so hiddenWriters is never true there */
    if ((object?.kind !== 'pipe' && object?.kind !== 'fifo') || object.hiddenWriters !== true) continue;
    readersByPipe.set(wait.object, [...(readersByPipe.get(wait.object) ?? []), wait]);
  }
  const out: Diagnosis[] = [];
  for (const [objectId, readers] of readersByPipe) {
    const facts: DiagnosisFact[] = readers.map((r) => ({ fact: 'waits', process: named(r.pid, index), wait: r.wait }));
    facts.push({ fact: 'write-end-not-shown', object: objectId });
    out.push({ kind: 'hidden-writer', processes: readers.map((r) => r.pid), objects: [objectId], ...withEvidence(facts) });
  }
  return out;
}

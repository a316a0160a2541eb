/**
 * A process asleep on a pipe whose other end no process shown holds. The
 * kernel sleeps a reader only while a write end is open somewhere
 * (pipe_read: `if (!pipe->writers) break;`), a writer only while a read end
 * is (pipe_write: `if (!pipe->readers)` sends SIGPIPE instead), and poll() on
 * a borrowed end says so (no POLLHUP on a read end: PipeObject.hiddenWriters
 * true; no POLLERR on a write end: hiddenReaders true): the end is in a
 * process this view does not show (another PID namespace, a process whose
 * descriptors cannot be read) or in flight in a Unix socket's queue. The
 * wait-for graph leaves such a wait out, since nobody named could end it
 * (wait-for.ts); this says where the waker is instead of saying nothing. No
 * deadlock or never-EOF claim: the unseen holder may yet act or close it.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, withEvidence } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

/** `leftOut`: the waits waitForGraph left out (no satisfier listed). */
export function findHiddenEnds(leftOut: readonly WaitFor[], index: SnapshotIndex): Diagnosis[] {
  const waitsByPipe = new Map<string, WaitFor[]>();
  for (const wait of leftOut) {
    const object = index.objects.get(wait.object);
    if (object?.kind !== 'pipe' && object?.kind !== 'fifo') continue;
    /* FIFO: no POLLHUP is no answer (a reader opened O_NONBLOCK before any writer), so hiddenWriters is never true there */
    const hidden = wait.wait.reason === 'pipe-empty' ? object.hiddenWriters : wait.wait.reason === 'pipe-full' ? object.hiddenReaders : undefined;
    if (hidden !== true) continue;
    const key = `${wait.wait.reason}|${wait.object}`;
    waitsByPipe.set(key, [...(waitsByPipe.get(key) ?? []), wait]);
  }
  const out: Diagnosis[] = [];
  for (const waits of waitsByPipe.values()) {
    const { object, wait } = waits[0]!;
    const reading = wait.reason === 'pipe-empty';
    const facts: DiagnosisFact[] = waits.map((w) => ({ fact: 'waits', process: named(w.pid, index), wait: w.wait }));
    facts.push({ fact: reading ? 'write-end-not-shown' : 'read-end-not-shown', object });
    out.push({ kind: reading ? 'hidden-writer' : 'hidden-reader', processes: waits.map((w) => w.pid), objects: [object], ...withEvidence(facts) });
  }
  return out;
}

/**
 * A reader asleep on a pipe whose only write end no process shown holds (and
 * a writer on a full pipe whose only read end no process shown holds), on
 * real python3 processes: the sender hands the write end to a socket
 * (SCM_RIGHTS) and closes its own, so the kernel keeps the end open in the
 * socket's queue (the same state as an end held in a parent PID namespace).
 * The reader is named as waiting on a write end this view does not show, not
 * as a deadlock or a reader that will never see EOF; once the socket closes,
 * read() returns 0 and the diagnosis goes. A reader whose writer is shown
 * and merely idle gets no diagnosis.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../model/diagnosis-types';
import type { PipeObject, Snapshot } from '../model/snapshot-types';
import { Sampler, takeSnapshot, WATCH_SAMPLER_OPTIONS } from '../probe/index';
import type { Scope } from '../probe/sampler-options';
import { startHealthyPipeline } from './testing/healthy-pipeline';
import { HIDDEN_READER_SITUATION, HIDDEN_WRITER_SITUATION } from './testing/hidden-ends-situation';
import { asleepIn, pipeIdOf, pollFor, python3MissingReason, PythonSituation } from './testing/python-situation';
import { killedAfterEach } from './testing/killed-after-each';

const skip = python3MissingReason();
const { situations, samplers } = killedAfterEach();

const OPTIONS = { peekBytes: 0, readMaps: false, readSignals: false };
const about = (snapshot: Snapshot, pid: number): Diagnosis[] => (snapshot.diagnoses ?? []).filter((d) => d.processes.includes(pid));

async function start(): Promise<{ s: PythonSituation; reader: number; sender: number; pipe: string }> {
  const s = new PythonSituation(HIDDEN_WRITER_SITUATION);
  situations.push(s);
  const [reader, r] = await s.numbers('reader');
  const [sender] = await s.numbers('sender');
  await asleepIn(reader!, 'anon_pipe_read');
  return { s, reader: reader!, sender: sender!, pipe: pipeIdOf(reader!, r!) };
}

describe.skipIf(skip !== null)('a reader waiting on a write end this view does not show', () => {
  it('is named with the kernel\'s evidence in a tree, a PID and the whole-machine scope, and is no deadlock nor never-EOF', async () => {
    const { s, reader, pipe } = await start();
    for (const scope of [{ pids: [s.pid], tree: true }, { pids: [reader] }, { all: true }] as Scope[]) {
      const snapshot = takeSnapshot(scope, OPTIONS);
      /* the kernel: the reader asleep in read() on the empty pipe; no listed holder has a write end, yet one is open (no POLLHUP) */
      expect(snapshot.processes.find((p) => p.pid === reader)?.blocked).toMatchObject({ op: 'read', object: pipe, wchan: 'anon_pipe_read' });
      const object = snapshot.objects.find((o): o is PipeObject => o.id === pipe && o.kind === 'pipe')!;
      expect({ queued: object.queued, writers: object.writers, hiddenWriters: object.hiddenWriters }).toEqual({ queued: 0, writers: 0, hiddenWriters: true });

      const mine = about(snapshot, reader);
      expect(mine.map((d) => d.kind)).toEqual(['hidden-writer']);
      expect(mine[0]).toMatchObject({ processes: [reader], objects: [pipe] });
      expect(mine[0]!.facts).toEqual([
        { fact: 'waits', process: { pid: reader, comm: 'python3' }, wait: { syscall: 'read', fd: expect.any(Number) as number, object: pipe, reason: 'pipe-empty' } },
        { fact: 'write-end-not-shown', object: pipe },
      ]);
      expect(mine[0]!.evidence[0]).toMatch(new RegExp(`^pid ${reader} \\(python3\\) is asleep in read\\(\\d+\\) on ${pipe} \\(empty\\)$`));
      expect(mine[0]!.evidence[1]).toContain(`a write end of ${pipe} is open in a process this view does not show (poll on a read end: no POLLHUP)`);
      expect(snapshot.diagnoses!.filter((d) => d.objects.includes(pipe)).map((d) => d.kind)).toEqual(['hidden-writer']);
    }
  }, 90_000);

  it('a Sampler publishes it once the reader has slept long enough, and drops it once the end closes and read() returns 0', async () => {
    const { s, reader, sender, pipe } = await start();
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, ...OPTIONS, diagnose: { confirmMs: 300 } });
    samplers.push(sampler);
    const scope: Scope = { pids: [s.pid], tree: true };
    const published = await pollFor('the diagnosis to be published', () => {
      const frame = sampler.sample(scope);
      return about(frame, reader).find((d) => d.kind === 'hidden-writer');
    });
    expect(published.objects).toEqual([pipe]);
    expect(published.since).toBeLessThanOrEqual(Date.now());

    process.kill(sender, 'SIGUSR1');
    /* the kernel: no write end anywhere, so read() returns 0 */
    expect(await s.numbers('eof')).toEqual([0]);
    await asleepIn(reader, 'hrtimer_nanosleep');
    await pollFor('the diagnosis to go', () => {
      const frame = sampler.sample(scope);
      const left = [...about(frame, reader), ...(frame.diagnosesPending ?? []).filter((p) => p.processes.includes(reader))];
      return left.length === 0 ? true : undefined;
    });
  }, 90_000);

  it('a writer asleep on the full pipe whose only read end is not shown: named, no blocked-writer claim; gone once write() fails with EPIPE', async () => {
    const s = new PythonSituation(HIDDEN_READER_SITUATION);
    situations.push(s);
    const [writer, w] = await s.numbers('writer');
    const [sender] = await s.numbers('sender');
    await asleepIn(writer!, 'anon_pipe_write');
    const pipe = pipeIdOf(writer!, w!);
    const snapshot = takeSnapshot({ pids: [s.pid], tree: true }, OPTIONS);
    /* the kernel: the writer asleep in write() on the full pipe; no listed holder has a read end, yet one is open (no POLLERR) */
    expect(snapshot.processes.find((p) => p.pid === writer)?.blocked).toMatchObject({ op: 'write', object: pipe, wchan: 'anon_pipe_write' });
    const object = snapshot.objects.find((o): o is PipeObject => o.id === pipe && o.kind === 'pipe')!;
    expect({ queued: object.queued, readers: object.readers, hiddenReaders: object.hiddenReaders }).toEqual({ queued: object.capacity, readers: 0, hiddenReaders: true });
    const mine = about(snapshot, writer!);
    expect(mine.map((d) => d.kind)).toEqual(['hidden-reader']);
    expect(mine[0]!.facts).toEqual([
      { fact: 'waits', process: { pid: writer, comm: 'python3' }, wait: { syscall: 'write', fd: w, object: pipe, reason: 'pipe-full', queued: object.capacity, capacity: object.capacity } },
      { fact: 'read-end-not-shown', object: pipe },
    ]);
    expect(mine[0]!.evidence[1]).toContain(`a read end of ${pipe} is open in a process this view does not show (poll on a write end: no POLLERR)`);

    process.kill(sender!, 'SIGUSR1');
    /* the kernel: no read end anywhere, so write() fails with EPIPE */
    expect(await s.numbers('epipe')).toEqual([1]);
    await asleepIn(writer!, 'hrtimer_nanosleep');
    expect(about(takeSnapshot({ pids: [s.pid], tree: true }, OPTIONS), writer!)).toEqual([]);
  }, 90_000);

  it('a reader whose writer is shown, asleep elsewhere, gets none', async () => {
    const { situation: s, reader, writer } = await startHealthyPipeline((started) => situations.push(started));
    for (const scope of [{ pids: [s.pid], tree: true }, { all: true }] as Scope[]) {
      const snapshot = takeSnapshot(scope, OPTIONS);
      expect(about(snapshot, reader)).toEqual([]);
      expect(about(snapshot, writer)).toEqual([]);
    }
  }, 90_000);
});

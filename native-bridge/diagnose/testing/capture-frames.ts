/**
 * Records the frames renderer/fixtures/real-frames-diagnoses.json holds:
 * real python3 processes in a deadlock (two readers, each holding the write
 * end only the other would use) and a reader that never closed its own write
 * end, sampled by a Sampler with diagnoses on until each frame carries its
 * diagnosis. Run by hand when the frame format changes:
 *   node --import tsx native-bridge/diagnose/testing/capture-frames.ts
 * With `pending`, records renderer/fixtures/real-frames-diagnoses-pending.json
 * instead: a frame of the deadlock while it is still being confirmed
 * (confirmMs 3000, so it is caught before it is published), the frame
 * that publishes it, and a healthy pipeline's frame (a reader asleep on a
 * pipe whose writer sleeps in nanosleep: neither).
 * With `self`, records renderer/fixtures/real-frames-diagnoses-self.json: a
 * ring of one still being confirmed and then published (a writer asleep on
 * a full pipe whose only read end it holds itself).
 * With `hidden`, records renderer/fixtures/real-frames-diagnoses-hidden.json:
 * a reader asleep on a pipe whose only write end is in flight in a socket's
 * queue (hidden-writer), and a writer on a full pipe whose only read end is
 * (hidden-reader), once published.
 */
import { writeFileSync } from 'node:fs';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../../probe/index';
import type { Snapshot } from '../../model/snapshot-types';
import { HEALTHY_PIPELINE } from './healthy-pipeline';
import { HIDDEN_READER_SITUATION, HIDDEN_WRITER_SITUATION } from './hidden-ends-situation';
import { asleepIn, pollFor, PythonSituation } from './python-situation';
import { TWO_PIPE_DEADLOCK } from './two-pipe-deadlock';

const NEVER_EOF = `
import os
r, w = os.pipe()
if os.fork() == 0:
    os.close(w)
    say("careful", os.getpid())
    os.read(r, 1); os._exit(0)
say("careless", os.getpid())
os.read(r, 1)
`;

const SELF_DEADLOCK = `
import os
r, w = os.pipe()
say("self", os.getpid())
os.write(w, b"x" * 70000)
`;

/** Frames of `source`'s processes once `asleep` ([name, wchan]) all sleep, until `enough` says which to keep. */
async function capture<T>(source: string, asleep: [string, string][], confirmMs: number, enough: (frame: Snapshot, before: Snapshot[]) => T | undefined): Promise<T> {
  const s = new PythonSituation(source);
  const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 64, readMaps: false, readSignals: false, diagnose: { confirmMs } });
  try {
    for (const [name, wchan] of asleep) {
      const [pid] = await s.numbers(name);
      await asleepIn(pid!, wchan);
    }
    const before: Snapshot[] = [];
    return await pollFor('the frames wanted', () => {
      const frame = sampler.sample({ pids: [s.pid], tree: true });
      const kept = enough(frame, before);
      before.push(frame);
      return kept;
    });
  } finally {
    sampler.close();
    await s.kill();
  }
}

const diagnosed = (frame: Snapshot) => ((frame.diagnoses ?? []).length > 0 ? frame : undefined);

/** The first frame that publishes a diagnosis, with the last one before it still pending (held 1.2 s if there was one). */
function pendingThenConfirmed(frame: Snapshot, before: Snapshot[]): { pending: Snapshot; confirmed: Snapshot } | undefined {
  if ((frame.diagnoses ?? []).length === 0) return undefined;
  const stillPending = before.filter((f) => (f.diagnosesPending ?? []).length > 0);
  const pending = stillPending.find((f) => f.diagnosesPending![0]!.heldMs >= 1200) ?? stillPending.at(-1);
  if (!pending) throw new Error('the deadlock was published at the first frame: the sample took longer than confirmMs');
  return { pending, confirmed: frame };
}

if (process.argv[2] === 'self') {
  const self = await capture(SELF_DEADLOCK, [['self', 'anon_pipe_write']], 3000, pendingThenConfirmed);
  writeFileSync(new URL('../../../renderer/fixtures/real-frames-diagnoses-self.json', import.meta.url), `${JSON.stringify(self, null, 1)}\n`);
  process.stdout.write(`pending: ${JSON.stringify(self.pending.diagnosesPending)}\nconfirmed: ${JSON.stringify(self.confirmed.diagnoses)}\n`);
} else if (process.argv[2] === 'hidden') {
  const hiddenWriter = await capture(HIDDEN_WRITER_SITUATION, [['reader', 'anon_pipe_read']], 300, diagnosed);
  const hiddenReader = await capture(HIDDEN_READER_SITUATION, [['writer', 'anon_pipe_write']], 300, diagnosed);
  writeFileSync(new URL('../../../renderer/fixtures/real-frames-diagnoses-hidden.json', import.meta.url), `${JSON.stringify({ hiddenWriter, hiddenReader }, null, 1)}\n`);
  process.stdout.write(`hidden-writer: ${JSON.stringify(hiddenWriter.diagnoses)}\nhidden-reader: ${JSON.stringify(hiddenReader.diagnoses)}\n`);
} else if (process.argv[2] === 'pending') {
  const deadlock = await capture(TWO_PIPE_DEADLOCK, [['parent', 'anon_pipe_read'], ['child', 'anon_pipe_read']], 3000, pendingThenConfirmed);
  let frames = 0;
  const healthy = await capture(HEALTHY_PIPELINE, [['reader', 'anon_pipe_read'], ['writer', 'hrtimer_nanosleep']], 3000, (frame) => (++frames >= 5 ? frame : undefined));
  writeFileSync(new URL('../../../renderer/fixtures/real-frames-diagnoses-pending.json', import.meta.url), `${JSON.stringify({ ...deadlock, healthy }, null, 1)}\n`);
  process.stdout.write(`pending: ${JSON.stringify(deadlock.pending.diagnosesPending)}\nconfirmed: ${JSON.stringify(deadlock.confirmed.diagnoses?.map((d) => d.kind))}\nhealthy: ${JSON.stringify([healthy.diagnoses, healthy.diagnosesPending])}\n`);
} else {
  const deadlock = await capture(TWO_PIPE_DEADLOCK, [['parent', 'anon_pipe_read'], ['child', 'anon_pipe_read']], 300, diagnosed);
  const neverEof = await capture(NEVER_EOF, [['careful', 'anon_pipe_read'], ['careless', 'anon_pipe_read']], 300, diagnosed);
  writeFileSync(new URL('../../../renderer/fixtures/real-frames-diagnoses.json', import.meta.url), `${JSON.stringify({ deadlock, neverEof }, null, 1)}\n`);
  process.stdout.write(`deadlock: ${JSON.stringify(deadlock.diagnoses)}\nnever-eof: ${JSON.stringify(neverEof.diagnoses)}\n`);
}

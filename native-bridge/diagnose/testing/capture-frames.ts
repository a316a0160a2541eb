/**
 * Records the frames renderer/fixtures/real-frames-diagnoses.json holds:
 * real python3 processes in a deadlock (two readers, each holding the write
 * end only the other would use) and a reader that never closed its own write
 * end, sampled by a Sampler with diagnoses on until each frame carries its
 * diagnosis. Run by hand when the frame format changes:
 *   node --import tsx native-bridge/diagnose/testing/capture-frames.ts
 */
import { writeFileSync } from 'node:fs';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../../probe/index';
import type { Snapshot } from '../../model/snapshot-types';
import { asleepIn, pollFor, PythonSituation } from './python-situation';

const DEADLOCK = `
import os
r1, w1 = os.pipe()
r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(r1); os.close(w2)
    say("child", os.getpid())
    os.read(r2, 1); os._exit(0)
os.close(w1); os.close(r2)
say("parent", os.getpid())
os.read(r1, 1)
`;

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

async function capture(source: string, names: string[]): Promise<Snapshot> {
  const s = new PythonSituation(source);
  const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 64, readMaps: false, readSignals: false, diagnose: true });
  try {
    for (const name of names) {
      const [pid] = await s.numbers(name);
      await asleepIn(pid!, 'anon_pipe_read');
    }
    return await pollFor('a diagnosed frame', () => {
      const frame = sampler.sample({ pids: [s.pid], tree: true });
      return (frame.diagnoses ?? []).length > 0 ? frame : undefined;
    });
  } finally {
    sampler.close();
    await s.kill();
  }
}

const deadlock = await capture(DEADLOCK, ['parent', 'child']);
const neverEof = await capture(NEVER_EOF, ['careful', 'careless']);
writeFileSync(new URL('../../../renderer/fixtures/real-frames-diagnoses.json', import.meta.url), `${JSON.stringify({ deadlock, neverEof }, null, 1)}\n`);
process.stdout.write(`deadlock: ${JSON.stringify(deadlock.diagnoses)}\nnever-eof: ${JSON.stringify(neverEof.diagnoses)}\n`);

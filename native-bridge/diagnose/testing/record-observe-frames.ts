/**
 * Records the observation frames renderer/fixtures/real-frames-observe.json
 * holds: real python3 processes observed as `ipcscope web --pid PID --tree`
 * observes them (an Observation: no peeking), one frame each of
 *   fullPipe   a writer asleep on a full pipe whose reader sleeps in read()
 *              on another pipe (65536 bytes queued, not read);
 *   sockets    a socketpair across a fork, and a Unix listener (backlog 1)
 *              with two connections nobody accepted, each client in its own
 *              process;
 *   manyPipes  one process holding 8 pipes (more objects than the picture draws).
 * Run by hand when the frame format changes:
 *   node --import tsx native-bridge/diagnose/testing/record-observe-frames.ts
 */
import { writeFileSync } from 'node:fs';
import type { Frame } from '../../model/frame-types';
import type { Snapshot } from '../../model/snapshot-types';
import { Observation } from '../../session/observation';
import { asleepIn, pollFor, PythonSituation } from './python-situation';

const FULL_PIPE = `
import os
data_r, data_w = os.pipe()
idle_r, idle_w = os.pipe()
if os.fork() == 0:
    os.close(data_w); os.close(idle_w)
    say("reader", os.getpid())
    os.read(idle_r, 1); os._exit(0)
os.close(data_r); os.close(idle_r)
say("writer", os.getpid())
os.write(data_w, b"x" * 200000)
`;

const SOCKETS = `
import os, socket, tempfile
path = os.path.join(tempfile.mkdtemp(prefix="ipcscope-rec-"), "queue.sock")
a, b = socket.socketpair()
if os.fork() == 0:
    a.close()
    say("pairchild", os.getpid())
    b.recv(1); os._exit(0)
b.close()
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(1)
for name in ("client1", "client2"):
    sync_r, sync_w = os.pipe()
    if os.fork() == 0:
        os.close(sync_r)
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        os.close(sync_w)
        say(name, os.getpid())
        c.recv(1); os._exit(0)
    os.close(sync_w); os.read(sync_r, 1); os.close(sync_r)
os.unlink(path); os.rmdir(os.path.dirname(path))
say("server", os.getpid())
a.recv(1)
`;

const MANY_PIPES = `
import os
pipes = [os.pipe() for _ in range(8)]
say("holder", os.getpid())
os.read(pipes[0][0], 1)
`;

async function record(source: string, names: string[], wchan: string, ready: (s: Snapshot) => boolean): Promise<Frame> {
  const s = new PythonSituation(source);
  try {
    const pids: number[] = [];
    for (const name of names) pids.push((await s.numbers(name))[0]!);
    await asleepIn(pids[pids.length - 1]!, wchan);
    const observation = Observation.open({ pids: [s.pid], tree: true });
    try {
      const snapshot = await pollFor('the frame', () => {
        const sample = observation.sample();
        return ready(sample) ? sample : undefined;
      });
      return { ...snapshot, seq: 1, rateHz: 10, events: [], lesson: null, observing: observation.view(), traffic: [] };
    } finally {
      observation.close();
    }
  } finally {
    await s.kill();
  }
}

const fullPipe = await record(FULL_PIPE, ['reader', 'writer'], 'anon_pipe_write', (s) => s.objects.some((o) => o.kind === 'pipe' && o.queued === 65536));
const sockets = await record(SOCKETS, ['pairchild', 'client1', 'client2', 'server'], 'unix_stream', (s) =>
  s.objects.some((o) => o.kind === 'unix' && o.state === 'LISTEN' && 'pending' in o && o.pending === 2),
);
const manyPipes = await record(MANY_PIPES, ['holder'], 'anon_pipe_read', (s) => s.objects.filter((o) => o.kind === 'pipe').length >= 8);
writeFileSync(new URL('../../../renderer/fixtures/real-frames-observe.json', import.meta.url), `${JSON.stringify({ fullPipe, sockets, manyPipes })}\n`);
process.stdout.write(
  `fullPipe: ${fullPipe.objects.map((o) => `${o.id} ${o.queued}`).join(', ')}\nsockets: ${sockets.objects.map((o) => `${o.id} ${'state' in o ? o.state : ''} peer ${'peer' in o ? o.peer : ''}`).join(', ')}\nmanyPipes: ${manyPipes.objects.length} objects\n`,
);

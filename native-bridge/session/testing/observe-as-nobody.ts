/**
 * Run by session-observe-rights.test.ts as nobody (uid 65534): an engine
 * session asked to observe each PID on the command line. Prints one JSON line
 * per PID: the command's result and, when it succeeded, the PIDs of the first
 * frame that carries the observation.
 */
import type { Frame } from '../../model/frame-types';
import { createSession } from '../session';

const session = await createSession();
let latest: Frame | null = null;
const stop = session.onFrame((frame) => {
  latest = frame;
});
/* read through a call: the listener assigns it between awaits */
const current = (): Frame | null => latest;
/* "self" names this process: a PID only known once it runs */
for (const pid of process.argv.slice(2).map((word) => (word === 'self' ? process.pid : Number(word)))) {
  const result = await session.handle({ type: 'observe', pids: [pid], tree: false });
  latest = null;
  const deadline = Date.now() + 10_000;
  while (result.ok && current()?.observing == null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const framePids = result.ok ? (current()?.processes.map((p) => p.pid) ?? null) : null;
  console.log(JSON.stringify({ pid, result, framePids }));
}
stop();
await session.dispose();

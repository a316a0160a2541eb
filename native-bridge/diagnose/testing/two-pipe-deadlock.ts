/**
 * Test support: the two-pipe deadlock of two real python3 processes, each
 * asleep reading the pipe only the other one writes (parent reads P1, whose
 * only write end the child holds; the child reads P2, whose only write end
 * the parent holds). Used by tests only.
 */
import { asleepIn, pipeIdOf, PythonSituation } from './python-situation';

export const TWO_PIPE_DEADLOCK = `
import os
r1, w1 = os.pipe()
r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(r1); os.close(w2)
    say("child", os.getpid(), r2)
    os.read(r2, 1); os._exit(0)
os.close(w1); os.close(r2)
say("parent", os.getpid(), r1)
os.read(r1, 1)
`;

export interface TwoPipeDeadlock {
  situation: PythonSituation;
  /** [parent, child] */
  pids: [number, number];
  /** The two pipes' object ids, sorted. */
  objects: string[];
}

/**
 * Starts the deadlock and resolves once the kernel shows both asleep in
 * read. `started` receives the situation before anything is awaited, so the
 * caller's afterEach kills it even when a wait fails.
 */
export async function startTwoPipeDeadlock(started: (situation: PythonSituation) => void): Promise<TwoPipeDeadlock> {
  const situation = new PythonSituation(TWO_PIPE_DEADLOCK);
  started(situation);
  const [parent, r1] = await situation.numbers('parent');
  const [child, r2] = await situation.numbers('child');
  await asleepIn(parent!, 'anon_pipe_read');
  await asleepIn(child!, 'anon_pipe_read');
  return { situation, pids: [parent!, child!], objects: [pipeIdOf(parent!, r1!), pipeIdOf(child!, r2!)].sort() };
}

/**
 * Test fixture for lesson-limits.test.ts: an engine that runs lessons up
 * against a resource limit and prints, one JSON line each, what the runner
 * said and which pids it started; then waits for a line on stdin before
 * exiting, so the test can look for strays while this engine still lives.
 *
 *   emfile: run under `prlimit --nofile=N`; every free descriptor is used up
 *     before the child's blocking read, then before a fork.
 *   nproc: run as an unprivileged user (root ignores RLIMIT_NPROC); the parent
 *     actor's RLIMIT_NPROC is lowered to 1 before its fork, then the engine's
 *     own before a lesson starts.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { takeSnapshot } from '../probe';
import { LessonRunner } from './lesson-runner';
import { pipeForkRead } from './limits-lesson';

const hooks = { onEvent: (): void => undefined };

function report(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Opens /dev/null until EMFILE; returns the descriptors, to close later. */
function useUpDescriptors(): number[] {
  const held: number[] = [];
  for (;;) {
    try {
      held.push(openSync('/dev/null', 'r'));
    } catch {
      return held;
    }
  }
}

async function emfile(): Promise<void> {
  const reading = await LessonRunner.start(pipeForkRead, hooks);
  await reading.step();
  await reading.step();
  let held = useUpDescriptors();
  const read = await reading.step();
  report({ case: 'read', outcome: read, error: reading.view(false, 1).error, pids: reading.pids() });
  /* the probe too: a process it cannot read for want of a descriptor is listed as unreadable, not dropped as gone */
  const child = reading.pids()[1]!;
  const snapshot = takeSnapshot({ pids: [child] }, { completeHolders: false, peekBytes: 0, readMaps: false, readSignals: false });
  report({ case: 'snapshot', processes: snapshot.processes.map((p) => ({ pid: p.pid, error: p.error ?? null })), problems: snapshot.problems });
  await reading.dispose();
  for (const fd of held) closeSync(fd);

  const forking = await LessonRunner.start(pipeForkRead, hooks);
  await forking.step();
  held = useUpDescriptors();
  const fork = await forking.step();
  report({ case: 'fork', outcome: fork, error: forking.view(false, 1).error, pids: forking.pids() });
  await forking.dispose();
  for (const fd of held) closeSync(fd);
}

async function nproc(): Promise<void> {
  const forking = await LessonRunner.start(pipeForkRead, hooks);
  await forking.step();
  const parent = forking.pids()[0]!;
  execFileSync('prlimit', [`--pid=${parent}`, '--nproc=1']);
  const fork = await forking.step();
  report({ case: 'fork', outcome: fork, error: forking.view(false, 1).error, pids: forking.pids() });
  await forking.dispose();

  execFileSync('prlimit', [`--pid=${process.pid}`, '--nproc=1']);
  try {
    const runner = await LessonRunner.start(pipeForkRead, hooks);
    report({ case: 'start', error: null, pids: runner.pids() });
    await runner.dispose();
  } catch (err) {
    report({ case: 'start', error: (err as Error).message });
  }
}

await (process.argv[2] === 'nproc' ? nproc() : emfile());
report({ case: 'done' });
process.stdin.once('data', () => process.exit(0));

/**
 * Never-EOF against deadlock in whole-machine mode (`--all`), on real
 * processes. A reader that keeps its own write end is named "never sees EOF"
 * with the forgotten fd, not a deadlock ring of one. A reader whose only write
 * end is held where the probe cannot see it (here: in flight in a socket's
 * queue, sent with SCM_RIGHTS and closed; on a shared machine also a process
 * of a parent PID namespace) is neither: the kernel keeps it asleep because a
 * writer exists somewhere, and nobody we can name is it (hidden-ends.ts
 * says so, without a claim that it is stuck).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot-types';
import { takeSnapshot } from '../probe/index';
import { asleepIn, pipeIdOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
});

const about = (snapshot: Snapshot, pid: number) => (snapshot.diagnoses ?? []).filter((d) => d.processes.includes(pid));

describe.skipIf(skip !== null)('never-eof in whole-machine mode', () => {
  it('names the reader that holds its own write end, and calls no reader of an unseen writer a deadlock', async () => {
    const s = new PythonSituation(`
import os, socket
if os.fork() == 0:
    r, w = os.pipe()
    # the forgotten os.close(w)
    say("forgetful", os.getpid(), r, w)
    os.read(r, 1); os._exit(0)
if os.fork() == 0:
    r, w = os.pipe()
    a, b = socket.socketpair()
    socket.send_fds(a, [b"w"], [w])
    os.close(w)
    # the only write end now sits in b's receive queue: no process holds it
    say("unseen", os.getpid(), r)
    os.read(r, 1); os._exit(0)
os.wait(); os.wait()
`);
    situations.push(s);
    const [forgetful, r, w] = await s.numbers('forgetful');
    const [unseen, unseenR] = await s.numbers('unseen');
    await asleepIn(forgetful!, 'anon_pipe_read');
    await asleepIn(unseen!, 'anon_pipe_read');
    const pipe = pipeIdOf(forgetful!, r!);
    const unseenPipe = pipeIdOf(unseen!, unseenR!);

    const snapshot = takeSnapshot({ all: true }, { peekBytes: 0, readMaps: false, readSignals: false });
    /* the probe saw both as the kernel shows them: asleep in read() on their pipes */
    expect(snapshot.processes.find((p) => p.pid === forgetful)?.blocked?.object).toBe(pipe);
    expect(snapshot.processes.find((p) => p.pid === unseen)?.blocked?.object).toBe(unseenPipe);
    expect(snapshot.objects.find((o) => o.id === unseenPipe)?.holders.map((h) => [h.pid, h.access])).toEqual([[unseen, 'r']]);

    const mine = about(snapshot, forgetful!);
    expect(mine.map((d) => d.kind)).toEqual(['never-eof']);
    expect(mine[0]!.descriptors).toEqual([{ pid: forgetful, fd: w, object: pipe }]);
    /* the unseen writer's reader: said to wait on a write end not shown, and nothing more */
    expect(about(snapshot, unseen!).map((d) => d.kind)).toEqual(['hidden-writer']);
    /* and nowhere on the machine a "ring" with nobody in it */
    for (const d of (snapshot.diagnoses ?? []).filter((x) => x.kind === 'deadlock')) {
      expect(d.evidence.join(' ')).not.toMatch(/only {2}holds/);
    }
  }, 90_000);
});

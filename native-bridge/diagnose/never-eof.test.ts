/**
 * A reader that will never see EOF, on real processes: the reader that forgot
 * to close its own write end, and a sibling reader that inherited one. The
 * forgotten descriptors are named (pid, fd) and match /proc/PID/fd. Absent
 * when the last write end is held by a process that is not reading the pipe.
 */
import { readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotContractProblems } from '../probe/testing/accuracy-contract';
import { asleepIn, diagnosesOf, pipeIdOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
});

describe.skipIf(skip !== null)('never-eof', () => {
  it('points at the write end the reader itself forgot to close', async () => {
    const s = new PythonSituation(`
import os
r, w = os.pipe()
child = os.fork()
if child == 0:
    os.close(r); os.write(w, b"hi"); os._exit(0)
os.waitpid(child, 0)
# the forgotten os.close(w): read() below returns 0 only once no write end is open
say("reader", os.getpid(), r, w)
while os.read(r, 100):
    pass
`);
    situations.push(s);
    const [reader, r, w] = await s.numbers('reader');
    await asleepIn(reader!, 'anon_pipe_read');
    const pipe = pipeIdOf(reader!, r!);
    expect(readlinkSync(`/proc/${reader}/fd/${w}`)).toBe(pipe.replace(/^pipe:(\d+)$/, 'pipe:[$1]'));

    const snapshot = s.snapshot();
    /* the diagnosis keeps the JSON contract (descriptors included) */
    expect(snapshotContractProblems(snapshot, new Set([reader!]), new Set([pipe]))).toEqual([]);
    const found = diagnosesOf(snapshot, 'never-eof');
    expect(found).toHaveLength(1);
    expect(found[0]!.processes).toEqual([reader]);
    expect(found[0]!.objects).toEqual([pipe]);
    expect(found[0]!.descriptors).toEqual([{ pid: reader, fd: w, object: pipe }]);
    expect(found[0]!.evidence).toContain(`pid ${reader} (python3) is asleep in read(${r}) on ${pipe} (empty)`);
  });

  it('points at the write end a sibling reader inherited', async () => {
    const s = new PythonSituation(`
import os
r, w = os.pipe()
if os.fork() == 0:
    os.close(w)
    say("careful", os.getpid())
    os.read(r, 1); os._exit(0)
if os.fork() == 0:
    say("careless", os.getpid(), w)
    os.read(r, 1); os._exit(0)
os.close(r); os.close(w)
say("parent", os.getpid())
os.wait(); os.wait()
`);
    situations.push(s);
    const [careful] = await s.numbers('careful');
    const [careless, w] = await s.numbers('careless');
    await asleepIn(careful!, 'anon_pipe_read');
    await asleepIn(careless!, 'anon_pipe_read');
    const pipe = pipeIdOf(careless!, w!);

    const snapshot = s.snapshot();
    const found = diagnosesOf(snapshot, 'never-eof');
    expect(found).toHaveLength(1);
    expect([...found[0]!.processes].sort()).toEqual([careful, careless].sort());
    expect(found[0]!.descriptors).toEqual([{ pid: careless, fd: w, object: pipe }]);
    /* two readers of one pipe are not a deadlock ring */
    expect(diagnosesOf(snapshot, 'deadlock')).toEqual([]);
  });

  it('finds none when the write end is held by a live process that is not reading', async () => {
    const s = new PythonSituation(`
import os, time
r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    say("writer", os.getpid())
    time.sleep(1000); os._exit(0)
os.close(w)
say("reader", os.getpid(), r)
os.read(r, 1)
`);
    situations.push(s);
    const [reader] = await s.numbers('reader');
    const [writer] = await s.numbers('writer');
    await asleepIn(reader!, 'anon_pipe_read');
    await asleepIn(writer!, 'hrtimer_nanosleep');
    expect(s.snapshot().diagnoses).toEqual([]);
  });
});

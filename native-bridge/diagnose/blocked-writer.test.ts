/**
 * A writer asleep on a full pipe (anon_pipe_write) whose only reader is itself
 * asleep reading another pipe, fed by a third process that only sleeps: the
 * writer is named with its reader and where that reader sleeps. Absent when
 * the reader is in a timed sleep it wakes from by itself. The same through a
 * Unix socketpair: send() asleep in sock_alloc_send_pskb, the peer unread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asleepIn, diagnosesOf, pipeIdOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
});

/* the parent fills P1 (200000 bytes > the 65536 a pipe holds); its reader does `readerWaits` */
const fullPipe = (readerWaits: string): string => `
import os, time
r1, w1 = os.pipe()
r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(r1); os.close(w1); os.close(r2)
    say("feeder", os.getpid())
    time.sleep(1000)
    os._exit(0)
if os.fork() == 0:
    os.close(w1); os.close(w2)
    say("reader", os.getpid(), r1, r2)
    ${readerWaits}
    os._exit(0)
os.close(r1); os.close(r2); os.close(w2)
say("writer", os.getpid(), w1)
os.write(w1, b"x" * 200000)
`;

describe.skipIf(skip !== null)('blocked-writer', () => {
  it('names a writer asleep on a full pipe whose reader is asleep reading another pipe', async () => {
    const s = new PythonSituation(fullPipe('os.read(r2, 1)'));
    situations.push(s);
    const [writer, w1] = await s.numbers('writer');
    const [reader, r1, r2] = await s.numbers('reader');
    await asleepIn(writer!, 'anon_pipe_write');
    await asleepIn(reader!, 'anon_pipe_read');
    const p1 = pipeIdOf(writer!, w1!);
    const p2 = pipeIdOf(reader!, r2!);

    const snapshot = s.snapshot();
    expect(diagnosesOf(snapshot, 'deadlock')).toEqual([]);
    const found = diagnosesOf(snapshot, 'blocked-writer');
    expect(found).toHaveLength(1);
    expect(found[0]!.processes).toEqual([writer, reader]);
    expect(found[0]!.objects).toEqual([p1]);
    expect(found[0]!.evidence[0]).toBe(`pid ${writer} (python3) is asleep in write(${w1}) on ${p1} (full: 65536 of 65536 bytes)`);
    expect(found[0]!.evidence[1]).toBe(`pid ${reader} (python3) holds a read end (fd ${r1}) but is asleep in read(${r2}), wchan anon_pipe_read, on ${p2}`);
  });

  it('finds none when the reader is only in a timed sleep', async () => {
    const s = new PythonSituation(fullPipe('time.sleep(1000)'));
    situations.push(s);
    const [writer] = await s.numbers('writer');
    const [reader] = await s.numbers('reader');
    await asleepIn(writer!, 'anon_pipe_write');
    await asleepIn(reader!, 'hrtimer_nanosleep');
    const snapshot = s.snapshot();
    expect(snapshot.processes.find((p) => p.pid === writer)?.blocked?.wchan).toBe('anon_pipe_write');
    expect(snapshot.diagnoses).toEqual([]);
  });

  it('names a writer asleep in send() on a Unix socket whose peer is held by a process asleep reading a pipe', async () => {
    const s = new PythonSituation(`
import os, socket, time
a, b = socket.socketpair()
r, w = os.pipe()
if os.fork() == 0:
    a.close(); b.close(); os.close(r)
    say("feeder", os.getpid())
    time.sleep(1000); os._exit(0)
if os.fork() == 0:
    a.close(); os.close(w)
    say("reader", os.getpid(), b.fileno())
    os.read(r, 1); os._exit(0)
b.close(); os.close(r); os.close(w)
say("sender", os.getpid(), a.fileno())
a.sendall(b"x" * 10000000)
`);
    situations.push(s);
    const [sender, fd] = await s.numbers('sender');
    const [reader] = await s.numbers('reader');
    await asleepIn(sender!, 'sock_alloc_send_pskb');
    await asleepIn(reader!, 'anon_pipe_read');
    const snapshot = s.snapshot();
    expect(snapshot.processes.find((p) => p.pid === sender)?.blocked).toMatchObject({ op: 'send', fd });
    const found = diagnosesOf(snapshot, 'blocked-writer');
    expect(found).toHaveLength(1);
    expect(found[0]!.processes).toEqual([sender, reader]);
    expect(found[0]!.objects[0]).toMatch(/^unix:\d+$/);
    expect(found[0]!.evidence[1]).toMatch(new RegExp(`^pid ${reader} \\(python3\\) holds the peer unix:\\d+ \\(fd \\d+\\) but is asleep in read\\(\\d+\\), wchan anon_pipe_read, on pipe:\\d+$`));
  });
});

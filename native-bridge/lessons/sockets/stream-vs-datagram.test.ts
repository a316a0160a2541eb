/**
 * Stream vs datagram on real processes: queue lengths as `ss -xa` shows them
 * (Recv-Q) before and after each receive, recv's return values, the sleeping
 * recv's wchan, the claims' verdicts, and nothing left when the lesson ends,
 * is stopped half-way, or its engine is SIGKILLed.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { streamVsDatagram } from './stream-vs-datagram';
import { LessonRun, holdersOf, until } from '../testing/lesson-run';
import { killEngineFixture, type FixtureLine } from '../testing/killed-engine';

let run: LessonRun | null = null;

afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

/** Index of the first step whose code contains `needle` (nth match). */
function stepIndex(needle: string, nth = 1): number {
  let seen = 0;
  const index = streamVsDatagram.steps.findIndex((s) => s.code.includes(needle) && ++seen === nth);
  if (index < 0) throw new Error(`no step ${needle}`);
  return index;
}

/** `ss -xa` row of the socket with this inode: [netid, state, recvQ, sendQ]. */
function ssRow(inode: number): { netid: string; state: string; recvQ: number; sendQ: number } | null {
  const out = execFileSync('ss', ['-xa'], { encoding: 'utf8' });
  for (const line of out.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    /* Netid State Recv-Q Send-Q Local Address:Port(path or *, inode) Peer ... */
    if (f.length >= 6 && Number(f[5]) === inode) return { netid: f[0]!, state: f[1]!, recvQ: Number(f[2]), sendQ: Number(f[3]) };
  }
  return null;
}

function inodeOf(pid: number, fd: number): number {
  const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
  if (!match) throw new Error(`fd ${fd} of ${pid} is not a socket`);
  return Number(match[1]);
}

/** The child's end of a pair: the descriptor the parent's close(s[1]) / close(d[1]) step closed (same number in both). */
function childFd(lessonRun: LessonRun, name: 's1' | 'd1'): number {
  const index = stepIndex(`close(${name[0]}[1])`);
  const fd = lessonRun.events.find((e) => e.step === index && e.phase === 'call')?.fd;
  if (typeof fd !== 'number') throw new Error(`no descriptor for ${name}`);
  return fd;
}

describe('stream vs datagram', () => {
  it('one recv takes all 11 stream bytes but one datagram; ss Recv-Q shows 11 and 3; the empty stream recv sleeps until EOF', async () => {
    run = await LessonRun.start(streamVsDatagram);
    const view = () => run!.runner.view(false, 1);
    const sent = stepIndex('send(d[0], "three"');
    await run.stepTo(sent + 1);
    await run.returned(sent);
    const child = run.pid('child');
    const [s1, d1] = [childFd(run, 's1'), childFd(run, 'd1')];
    const [sIno, dIno] = [inodeOf(child, s1), inodeOf(child, d1)];
    /* the lesson's objects are the pairs' sv[0] ends (the parent's), as socketpair reported them */
    const parent = run.pid('parent');
    const sv0 = (index: number) => Number((run!.events.find((e) => e.step === index && e.phase === 'call')!.fd));
    expect(view().objects).toEqual([`unix:${inodeOf(parent, sv0(stepIndex('send(s[0]')))}`, `unix:${inodeOf(parent, sv0(stepIndex('send(d[0]')))}`]);
    expect(ssRow(sIno)).toMatchObject({ netid: 'u_str', state: 'ESTAB', recvQ: 11 });
    /* unix_inq_len: for SOCK_DGRAM, the length of the first datagram only */
    expect(ssRow(dIno)).toMatchObject({ netid: 'u_dgr', state: 'ESTAB', recvQ: 3 });
    expect(view().claims.find((c) => c.id === 'recv-q-bytes')!.verdict).toMatchObject({
      holds: 'partly',
      measured: { 'SIOCINQ s[1]': 11, 'SIOCINQ d[1]': 3 },
    });

    const expected: [number, string, number, number][] = [
      [stepIndex('recv(s[1]'), 'onetwothree', sIno, 0],
      [stepIndex('recv(d[1]', 1), 'one', dIno, 3],
      [stepIndex('recv(d[1]', 2), 'two', dIno, 5],
      [stepIndex('recv(d[1]', 3), 'three', dIno, 0],
    ];
    for (const [index, bytes, inode, left] of expected) {
      await run.stepTo(index + 1);
      const reply = await run.returned(index);
      expect(reply.result).toBe(bytes.length);
      expect(Buffer.from(reply.data ?? '', 'base64').toString()).toBe(bytes);
      expect(ssRow(inode)!.recvQ).toBe(left);
    }
    expect(view().steps[expected[0]![0]]!.question?.verdict?.correct).toBe('11');
    expect(view().steps[expected[1]![0]]!.question?.verdict?.correct).toBe('3');
    expect(view().claims.find((c) => c.id === 'dgram-boundaries')!.verdict).toMatchObject({ holds: 'holds' });

    const sleeping = stepIndex('recv(s[1]', 2);
    const outcome = await run.stepTo(sleeping + 1);
    expect(outcome.status).toBe('blocked');
    const wait = readKernelWait(child)!;
    expect(wait).toMatchObject({ state: 'S', wchan: 'unix_stream_read_generic', syscallNr: 45, arg0: s1 });
    expect(view().steps[sleeping]!.question?.verdict?.correct).toBe('sleeps');

    await run.stepTo(sleeping + 2);
    expect((await run.returned(sleeping)).result).toBe(0);
    await run.stepTo(streamVsDatagram.steps.length);
    await until(() => run!.runner.finished);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    run = null;
    await until(() => ssRow(sIno) === null && ssRow(dIno) === null);
  });

  it('stopped half-way, with bytes and datagrams queued, leaves no process and no socket', async () => {
    run = await LessonRun.start(streamVsDatagram);
    const sent = stepIndex('send(d[0], "two"');
    await run.stepTo(sent + 1);
    await run.returned(sent);
    const child = run.pid('child');
    const inodes = [inodeOf(child, childFd(run, 's1')), inodeOf(child, childFd(run, 'd1'))];
    expect(inodes.map((i) => ssRow(i)?.recvQ)).toEqual([11, 3]);
    await run.disposeAndCheck();
    run = null;
    for (const inode of inodes) expect(holdersOf(`socket:[${inode}]`)).toEqual([]);
    await until(() => inodes.every((i) => ssRow(i) === null));
    /* at a load average of 13-18 (other tests running) this test took 26 and 61 s, against 1 s on a quiet machine */
  }, 120_000);

  it('an engine killed with SIGKILL leaves no process and no socket', async () => {
    await killEngineFixture<FixtureLine & { targets: string[] }>('sockpair-engine-fixture.ts', {
      before: ({ targets }) => expect(targets.length).toBeGreaterThanOrEqual(2),
      after: ({ targets }) => until(() => targets.every((t) => holdersOf(t).length === 0 && ssRow(Number(/\d+/.exec(t)![0])) === null), 30_000),
      timeoutMs: 30_000,
    });
  }, 120_000);
});

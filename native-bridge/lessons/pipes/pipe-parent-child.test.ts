import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam, type CallReply } from '../../actor/actor-host';
import type { PipeObject } from '../../model/snapshot-types';
import { Sampler } from '../../probe';
import { allLessons, findLesson } from '../registry';
import { pipeParentChild } from './pipe-parent-child';

let team: ActorTeam | null = null;
let sampler: Sampler | null = null;

afterEach(async () => {
  sampler?.close();
  sampler = null;
  await team?.dispose();
  team = null;
});

function fds(reply: CallReply): [number, number] {
  const value = reply.data?.fds;
  if (!Array.isArray(value)) throw new Error('no fds');
  return [value[0]!, value[1]!];
}

describe('lesson registry', () => {
  it('every lesson step is written in three languages, by a known role', () => {
    expect(findLesson('pipe-parent-child')).toBe(pipeParentChild);
    for (const lesson of allLessons) {
      const roles = new Set([lesson.firstRole, ...(lesson.alsoStarts ?? []), ...lesson.steps.flatMap((s) => (s.spawns ? [s.spawns] : []))]);
      for (const text of [lesson.title, lesson.summary, ...lesson.steps.map((s) => s.explain)]) {
        expect(text.en.length).toBeGreaterThan(0);
        expect(text['zh-Hans'].length).toBeGreaterThan(0);
        expect(text['zh-Hant'].length).toBeGreaterThan(0);
      }
      for (const step of lesson.steps) expect(roles.has(step.role)).toBe(true);
    }
  });
});

describe('the lesson pipe, observed with the probe while nobody has read yet', () => {
  async function pipeBetweenParentAndChild() {
    team = await ActorTeam.start();
    sampler = new Sampler();
    const parent = await team.spawn('parent');
    const [r, w] = fds(await parent.call('pipe2'));
    const { child } = await parent.spawnChild('child');
    await parent.call('close', { fd: r });
    await child.call('close', { fd: w });
    const pipeOf = (): PipeObject => {
      const snapshot = sampler!.sample({ pids: [parent.pid, child.pid] });
      const pipe = snapshot.objects.find(
        (o): o is PipeObject => o.kind === 'pipe' && o.holders.some((h) => h.pid === child.pid && h.fd === r),
      );
      if (!pipe) throw new Error('pipe not seen');
      return pipe;
    };
    return { parent, child, r, w, pipeOf };
  }

  it('queued counts what was written and not yet read, and peeking does not consume it', async () => {
    const { parent, child, r, w, pipeOf } = await pipeBetweenParentAndChild();
    expect(pipeOf()).toMatchObject({ queued: 0, capacity: 65536, readers: 1, writers: 1 });
    expect((await parent.call('write', { fd: w, text: 'hello world\n' })).result).toBe(12);
    const full = pipeOf();
    expect(full.queued).toBe(12);
    expect(Buffer.from(full.peek ?? '', 'base64').toString()).toBe('hello world\n');
    /* peek twice: still 12 queued */
    expect(pipeOf().queued).toBe(12);
    const read = await child.call('read', { fd: r, count: 64 });
    expect(read.result).toBe(12);
    expect(Buffer.from(String(read.data?.bytes), 'base64').toString()).toBe('hello world\n');
    expect(pipeOf().queued).toBe(0);
  });

  it('under observation, the reader still gets EOF and a writer without readers still dies of SIGPIPE', async () => {
    const { parent, child, r, w, pipeOf } = await pipeBetweenParentAndChild();
    await parent.call('write', { fd: w, text: 'x' });
    pipeOf();
    expect((await parent.call('close', { fd: w })).result).toBe(0);
    expect((await child.call('read', { fd: r, count: 64 })).result).toBe(1);
    const eof = child.call('read', { fd: r, count: 64 });
    const watch = setInterval(() => sampler!.sample({ pids: [parent.pid, child.pid] }), 2);
    try {
      expect((await eof).result).toBe(0);
    } finally {
      clearInterval(watch);
    }

    /* second pipe: the child is the writer, nobody reads */
    const [r2, w2] = fds(await child.call('pipe2'));
    sampler!.sample({ pids: [child.pid] });
    await child.call('close', { fd: r2 });
    sampler!.sample({ pids: [child.pid] });
    const died = await child.call('write', { fd: w2, text: 'nobody listens' });
    expect(died).toMatchObject({ result: null, gone: true });
    const waited = await parent.call('waitpid', { pid: child.pid });
    /* SIGPIPE is signal 13 */
    expect(waited.data).toMatchObject({ signal: 13, exitCode: null });
  });
});

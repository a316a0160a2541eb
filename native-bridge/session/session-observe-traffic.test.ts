/**
 * Traffic between frames of an observation, on real processes: a bash parent
 * writes "ping\n" to its child cat through a pipe once a second (process
 * substitution: cat is bash's child, the pipe is bash's only writable
 * descriptor and cat's only readable one). cat reads each line within
 * microseconds, so no frame shows it queued, yet every write shows as 5 bytes
 * in one call along bash's fd 1 to the pipe, and every read along cat's fd 0.
 * Observing the whole machine (IPC descriptors only) the same writes show as
 * the process's own rate. Checked against /proc/PID/io and /proc/PID/fd.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wchanOf } from '../cli/cli-test-support';
import type { Frame } from '../model/frame-types';
import type { TrafficEntry } from '../model/traffic-types';
import { recordFrames, until } from './session-test-helpers';
import { useSessionsAndChildren } from './testing/session-and-children';

/*
 * Every inherited descriptor above 2 closed first: the counts must have one
 * descriptor to go through. The second comes from `read -t 1` on a pipe no one
 * writes to, not from `sleep 1`: a reaped child's counts are added to its
 * parent's, so a parent that reaps is never tied to a descriptor.
 */
const WRITER = `
for f in /proc/$$/fd/*; do n=\${f##*/}; case $n in 0|1|2) ;; *) eval "exec $n>&-" 2>/dev/null;; esac; done
exec 0<&- 2>/dev/null
exec > >(exec 2>&- cat >/dev/null)
exec 9< <(exec 2>&- sleep 100000)
exec 2>&-
while :; do echo ping; read -t 1 -u 9; done
`;
/* KERNEL-FACTS: anon_pipe_read on 6.18, pipe_read or pipe_wait on older kernels */
const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;
const WRITES = 3;

const { children, open } = useSessionsAndChildren();

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
};
const syscwOf = (pid: number): number => Number(/^syscw: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))?.[1]);

async function writerAndReader(): Promise<{ bash: number; cat: number; pipe: string }> {
  const bash = children.spawn('bash', ['-c', WRITER], ['ignore', 'ignore', 'ignore'], true).pid;
  let cat = 0;
  await until(() => {
    cat = childrenOf(bash).find((pid) => commOf(pid) === 'cat') ?? 0;
    return cat > 0 && PIPE_READ_WCHAN.test(wchanOf(cat));
  }, 30_000);
  const link = readlinkSync(`/proc/${bash}/fd/1`);
  expect(readlinkSync(`/proc/${cat}/fd/0`)).toBe(link);
  return { bash, cat, pipe: `pipe:${/^pipe:\[(\d+)\]$/.exec(link)?.[1]}` };
}

function entries(frames: Frame[], match: (entry: TrafficEntry) => boolean): TrafficEntry[] {
  return frames.flatMap((frame) => (frame.traffic ?? []).filter(match));
}

describe('observe: traffic between frames', () => {
  it('shows each write of a parent to its child along the descriptor that carried it', async () => {
    const { bash, cat, pipe } = await writerAndReader();
    const session = await open();
    const rec = recordFrames(session);
    const result = await session.handle({ type: 'observe', pids: [bash], tree: true });
    expect(result.ok).toBe(true);
    await until(() => rec.frames.some((frame) => frame.observing != null), 30_000);
    const start = rec.frames.length;
    const syscwBefore = syscwOf(bash);
    const isWrite = (e: TrafficEntry): boolean => e.pid === bash && e.direction === 'write';
    await until(() => entries(rec.frames.slice(start), isWrite).length >= WRITES, 40_000);
    const syscwAfter = syscwOf(bash);
    const frames = rec.frames.slice(start);
    rec.stop();

    const writes = entries(frames, isWrite);
    /*
     * "ping\n" is 5 bytes in one call, through bash's only writable
     * descriptor: each write shows (two in one frame only if a frame came more
     * than a second late, on a loaded machine), and no more than the kernel counted
     */
    for (const write of writes) {
      expect(write).toMatchObject({ via: 'descriptor', fd: 1, object: pipe });
      expect(write.bytes).toBe(5 * write.calls);
    }
    const calls = writes.reduce((sum, write) => sum + write.calls, 0);
    expect(calls).toBeLessThanOrEqual(syscwAfter - syscwBefore + 1);
    expect(calls).toBeGreaterThanOrEqual(WRITES);
    /* and cat took each line in through its only readable descriptor */
    const reads = entries(frames, (e) => e.pid === cat && e.direction === 'read');
    expect(reads.length).toBeGreaterThanOrEqual(WRITES - 1);
    for (const read of reads) expect(read).toMatchObject({ via: 'descriptor', fd: 0, object: pipe, bytes: 5 * read.calls });
    expect(frames.every((frame) => frame.traffic?.every((e) => e.intervalMs >= 0))).toBe(true);
  }, 120_000);

  it('shows the same writes as a per-process rate when the whole machine is observed', async () => {
    const { bash } = await writerAndReader();
    const session = await open();
    const rec = recordFrames(session);
    expect((await session.handle({ type: 'observe', all: true })).ok).toBe(true);
    await until(() => rec.frames.some((frame) => frame.observing != null), 30_000);
    const start = rec.frames.length;
    const isWrite = (e: TrafficEntry): boolean => e.pid === bash && e.direction === 'write';
    await until(() => entries(rec.frames.slice(start), isWrite).length >= 2, 60_000);
    rec.stop();
    for (const write of entries(rec.frames.slice(start), isWrite)) {
      /* a whole-machine frame may come more than a second apart: then it holds two writes */
      expect(write).toMatchObject({ via: 'process', bytes: 5 * write.calls });
      expect(write.fd).toBeUndefined();
    }
  }, 120_000);
});

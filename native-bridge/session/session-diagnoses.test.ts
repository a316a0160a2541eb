/**
 * The session's frames carry diagnoses: lesson pipe-forgotten-close, played
 * to its end, leaves the child asleep in read() on a pipe whose only write end
 * is its own forgotten fd; the frames then name it never-EOF and point at that
 * descriptor, which /proc/PID/fd shows is the pipe the child sleeps on.
 */
import { readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import { createSession, type Session } from './session';
import { recordFrames, until } from './session-test-helpers';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('diagnoses in the session frames', () => {
  it('lesson pipe-forgotten-close ends with the never-EOF diagnosis pointing at the forgotten write end', async () => {
    session = await createSession({ stepDelayMs: 20 });
    const rec = recordFrames(session);
    for (const command of [{ type: 'questions', on: false }, { type: 'lesson.start', lesson: 'pipe-forgotten-close' }, { type: 'play' }]) {
      const result = await session.handle(command);
      if (!result.ok) throw new Error(result.error);
    }
    /* play ends at the last step: the parent blocked in wait4 for a child that never exits */
    await until(() => rec.frames.at(-1)?.lesson?.playing === false && (rec.last().diagnoses ?? []).some((d) => d.kind === 'never-eof'), 30_000);
    const child = rec.last().lesson!.roles['child']!;
    const frame = rec.last();
    const found = frame.diagnoses!.find((d) => d.kind === 'never-eof')!;
    expect(found.processes).toEqual([child]);
    expect(found.descriptors).toHaveLength(1);
    const forgotten = found.descriptors![0]!;
    expect(forgotten.pid).toBe(child);
    /* the kernel: the child sleeps reading the pipe the forgotten descriptor is a write end of */
    const wait = readKernelWait(child)!;
    expect(wait).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    expect(readlinkSync(`/proc/${child}/fd/${forgotten.fd}`)).toBe(readlinkSync(`/proc/${child}/fd/${wait.arg0}`));
    expect(`pipe:[${found.objects[0]!.slice('pipe:'.length)}]`).toBe(readlinkSync(`/proc/${child}/fd/${forgotten.fd}`));
    expect(frame.diagnosedAt).toBeGreaterThanOrEqual(found.since!);
    rec.stop();
  }, 60_000);
});

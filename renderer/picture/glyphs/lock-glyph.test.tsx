import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { FileLockObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-mmap-lock.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { lockWaiters } from './lock-glyph';
import { Picture } from '../picture';

/*
 * The same recorded moments as mapped-file-glyph.test.tsx: two moments of the mmap-lock lesson (flock), sampled by the engine's probe
 * (takeSnapshot of the two role pids) while it ran: `mapped` after the reader
 * loaded the writer's "hello through the file" from its own mapping; `waiting`
 * with the writer holding the flock, the reader asleep in flock()
 * (locks_lock_inode_wait), and the writer's "version 2" stored over the start
 * of the first string.
 */
interface Moment {
  roles: Record<string, number>;
  lessonObjects: string[];
  snapshot: Snapshot;
}
const { waiting } = captured as unknown as { waiting: Moment };

function lessonFrame(moment: Moment, seq: number): Frame {
  const { childBlocked } = pipeMoments();
  return { ...moment.snapshot, seq, rateHz: 30, events: [], lesson: { ...childBlocked.lesson!, roles: moment.roles, objects: moment.lessonObjects } };
}
const lockOf = (m: Moment) => m.snapshot.objects.find((o): o is FileLockObject => o.kind === 'lock')!;

const { show } = frameFeed();

describe('the file-lock picture', () => {
  it('draws the recorded lock: held by the writer, FLOCK WRITE over the whole file, the reader in its queue, asleep in flock', () => {
    const lock = lockOf(waiting);
    const [writer, reader] = [waiting.roles.writer!, waiting.roles.reader!];
    render(<Picture />);
    show(lessonFrame(waiting, 1));
    const id = lock.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-kind')).toBe('lock');
    expect(screen.getByTestId(`lock-title-${id}`).textContent).toBe('lock on shared.dat');
    expect(screen.getByTestId(`lock-icon-${id}`).getAttribute('data-held')).toBe('true');
    expect(screen.getByTestId(`lock-holder-${id}-0`).textContent).toBe(`FLOCK WRITE held by pid ${writer}bytes 0–EOF`);
    expect(lock.locks[0]!.pid).toBe(writer);
    expect(screen.getByTestId(`lock-waiting-${id}`).getAttribute('data-count')).toBe('1');
    expect(screen.getByTestId(`lock-waiter-${id}-${reader}`).textContent).toBe(`pid ${reader} asleep`);
    /* the reader's node says where it sleeps: the kernel's wchan */
    expect(screen.getByTestId(`wchan-${reader}`).textContent).toContain('locks_lock_inode_wait');
    expect(screen.getByTestId(`process-${reader}`).getAttribute('data-waits-on')).toBe(id);
  });

  it('released: no holder, nobody waiting, in Chinese too', () => {
    const lock = lockOf(waiting);
    const free: FileLockObject = { ...lock, locks: [], waiters: [], waiting: [], holders: [] };
    render(<Picture />);
    show({ ...lessonFrame(waiting, 1), objects: waiting.snapshot.objects.map((o) => (o.id === lock.id ? free : o)) });
    expect(screen.getByTestId(`lock-icon-${lock.id}`).getAttribute('data-held')).toBe('false');
    expect(screen.getByTestId(`lock-waiting-${lock.id}`).textContent).toBe('nobody waits');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId(`lock-title-${lock.id}`).textContent).toBe('shared.dat 上的锁');
    expect(screen.getByTestId(`lock-waiting-${lock.id}`).textContent).toBe('没有人在等');
  });

  it('waiters: /proc/locks order first, then scanned sleepers it does not name', () => {
    const lock = lockOf(waiting);
    expect(lockWaiters({ ...lock, waiters: [{ type: 'OFDLCK', mode: 'WRITE', pid: null, start: 0, end: null }], waiting: [7, 9] })).toEqual([7, 9]);
    expect(lockWaiters({ ...lock, waiters: [{ type: 'POSIX', mode: 'WRITE', pid: 9, start: 0, end: null }], waiting: [7, 9] })).toEqual([9, 7]);
  });
});

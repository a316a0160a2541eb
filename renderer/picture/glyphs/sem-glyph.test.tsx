import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { SemSetObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-sem.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { Picture } from '../picture';
import { attributeWaiters } from './sem-glyph';

/*
 * Four snapshots the engine took (takeSnapshot({ pids }) of the sem-counter
 * lesson's four processes), trimmed to the lesson's System V objects (the
 * actors' control pipes and sockets dropped):
 *   gate:  both adders asleep in semop waiting for semaphore 0 to reach 0 (semzcnt 2)
 *   locked: during the locked round, main asleep taking 2 from semaphore 2 (DONE) and an adder asleep on the mutex
 *   mutex: main holds semaphore 1, the waiter asleep for it to increase (semncnt 1)
 *   slots: semaphore 3 at 0 after two takers, the waiter asleep for it (semncnt 1)
 */
const moments = captured as unknown as Record<'gate' | 'locked' | 'mutex' | 'slots', Snapshot>;
const frameOf = (snapshot: Snapshot, seq: number): Frame => ({ ...snapshot, seq, rateHz: 30, events: [], lesson: null });
const semOf = (snapshot: Snapshot): SemSetObject => snapshot.objects.find((o): o is SemSetObject => o.kind === 'sem')!;

const { show } = frameFeed();

function expectNumbers(sem: SemSetObject) {
  expect(screen.getByTestId(`object-${sem.id}`).getAttribute('data-kind')).toBe('sem');
  expect(screen.getByTestId(`sem-title-${sem.id}`).textContent).toBe(`sem ${sem.semid}`);
  sem.semaphores.forEach((s, num) => {
    const counter = screen.getByTestId(`sem-${sem.id}-${num}`);
    expect([counter.dataset.value, counter.dataset.ncnt, counter.dataset.zcnt, counter.dataset.sempid]).toEqual(
      [s.value, s.waitingForIncrease, s.waitingForZero, s.lastPid].map(String),
    );
    expect(screen.getByTestId(`sem-value-${sem.id}-${num}`).textContent).toBe(String(s.value));
    expect(screen.getByTestId(`sem-ncnt-${sem.id}-${num}`).textContent).toBe(`semncnt ${s.waitingForIncrease}`);
    expect(screen.getByTestId(`sem-zcnt-${sem.id}-${num}`).textContent).toBe(`semzcnt ${s.waitingForZero}`);
    expect(screen.getByTestId(`sem-pid-${sem.id}-${num}`).textContent).toBe(s.lastPid === 0 ? 'no semop yet' : `sempid ${s.lastPid}`);
  });
}

describe('the semaphore set picture', () => {
  it('draws one counter per semaphore with the captured values, semncnt, semzcnt and sempid; both adders queue for zero at the gate', () => {
    const sem = semOf(moments.gate);
    expect(sem.semaphores).toHaveLength(4);
    expect(sem.semaphores[0]).toMatchObject({ value: 1, waitingForZero: 2 });
    render(<Picture />);
    show(frameOf(moments.gate, 1));
    expectNumbers(sem);
    expect(screen.getByTestId(`sem-key-${sem.id}`).textContent).toBe('key 0 (IPC_PRIVATE)');
    expect(sem.waiting).toHaveLength(2);
    for (const pid of sem.waiting) expect(screen.getByTestId(`sem-waiter-${sem.id}-0-${pid}`).dataset.for).toBe('zero');
    expect(screen.getByTestId(`sem-waiter-${sem.id}-0-${sem.waiting[0]}`).textContent).toBe(`pid ${sem.waiting[0]} → 0pid ${sem.waiting[0]} waits for 0`);
    expect(screen.queryByTestId(`sem-waiting-${sem.id}`)).toBeNull();
  });

  it('puts the third process in the queue of the semaphore it waits to take, frame to frame, in Chinese too', () => {
    render(<Picture />);
    show(frameOf(moments.gate, 1));
    for (const [moment, num] of [
      ['mutex', 1],
      ['slots', 3],
    ] as const) {
      const sem = semOf(moments[moment]);
      show(frameOf(moments[moment], num + 1));
      expectNumbers(sem);
      expect(sem.waiting).toHaveLength(1);
      const [waiter] = sem.waiting;
      expect(moments[moment].processes.find((p) => p.pid === waiter)?.blocked?.wchan).toBe('__do_semtimedop');
      expect(screen.getByTestId(`sem-waiter-${sem.id}-${num}-${waiter}`).textContent).toBe(`pid ${waiter} ↑pid ${waiter} waits to take`);
      // the gate's queue emptied
      expect(screen.getByTestId(`sem-${sem.id}-0`).dataset.zcnt).toBe('0');
    }
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    const sem = semOf(moments.slots);
    expect(screen.getByTestId(`sem-waiter-${sem.id}-3-${sem.waiting[0]}`).textContent).toBe(`进程 ${sem.waiting[0]} ↑进程 ${sem.waiting[0]} 等待申请`);
  });

  it('puts each waiter in its own queue from the sembufs it passed: main waits on DONE while an adder waits for the mutex', () => {
    const sem = semOf(moments.locked);
    const main = moments.locked.processes.find((p) => p.comm === 'main')!.pid;
    const adder = sem.waiting.find((pid) => pid !== main)!;
    expect(sem.waitOps).toEqual(expect.arrayContaining([{ pid: main, num: 2, op: -2 }, { pid: adder, num: 1, op: -1 }]));
    render(<Picture />);
    show(frameOf(moments.locked, 1));
    expectNumbers(sem);
    expect(screen.getByTestId(`sem-waiter-${sem.id}-2-${main}`).dataset.for).toBe('increase');
    expect(screen.getByTestId(`sem-waiter-${sem.id}-1-${adder}`).dataset.for).toBe('increase');
    expect(screen.queryByTestId(`sem-waiting-${sem.id}`)).toBeNull();
  });

  it('without the sembufs, attributes waiters only when the counts allow one reading; otherwise lists them under the set', () => {
    const { waitOps, ...sem } = semOf(moments.gate);
    expect(waitOps).toHaveLength(2);
    expect(attributeWaiters(sem)).toEqual(sem.waiting.map((pid) => ({ pid, num: 0, forZero: true })));
    const two: SemSetObject = {
      ...sem,
      semaphores: sem.semaphores.map((s, i) => (i === 1 ? { ...s, waitingForIncrease: 1 } : i === 0 ? { ...s, waitingForZero: 1 } : s)),
    };
    expect(attributeWaiters(two)).toBeNull();
    expect(attributeWaiters({ ...sem, semaphores: sem.semaphores.map((s) => ({ ...s, waitingForZero: 0 })), waiting: [] })).toEqual([]);
    render(<Picture />);
    show({ ...frameOf(moments.gate, 1), objects: moments.gate.objects.map((o) => (o.id === sem.id ? two : o)) });
    expect(screen.getByTestId(`sem-waiting-${sem.id}`).textContent).toBe(`asleep in semop on this set: ${sem.waiting.join(', ')}`);
  });

  it('says a set the lesson made and the kernel no longer lists was removed with IPC_RMID', () => {
    const sem = semOf(moments.slots);
    render(<Picture />);
    const others = moments.slots.objects.filter((o) => o.id !== sem.id);
    const { childBlocked } = pipeMoments();
    show({ ...frameOf(moments.slots, 1), objects: others, lesson: { ...childBlocked.lesson!, objects: [sem.id], roles: {} } });
    expect(screen.getByTestId(`gone-${sem.id}`).textContent).toBe(`sem ${sem.semid} is gone: removed with IPC_RMID (until then a set outlives every process that used it)`);
  });
});

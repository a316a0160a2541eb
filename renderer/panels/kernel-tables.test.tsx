import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { MsgQueueObject, SemSetObject, ShmObject, Snapshot } from '../../native-bridge/model/snapshot-types';
import semCaptured from '../fixtures/real-snapshot-sem.json';
import shmCaptured from '../fixtures/real-snapshot-shm.json';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { HIGHLIGHT_MS, KernelTables } from './kernel-tables';
import { SideTabs } from './side-tabs';

/*
 * Frames recorded from the kernel: the sem-counter lesson's segment and set at
 * three moments (both adders at the gate; the waiter on the mutex; the waiter
 * on the counting semaphore), a message queue holding one 5-byte message, and
 * the shared-memory fixture's segment marked for deletion.
 */
const sem = semCaptured as unknown as Record<'gate' | 'mutex' | 'slots', Snapshot> & { msgQueue: MsgQueueObject };
const shm = shmCaptured as unknown as { live: Snapshot; dest: Snapshot };
const frameOf = (snapshot: Snapshot, seq: number, extra: Snapshot['objects'] = []): Frame => ({
  ...snapshot,
  objects: [...snapshot.objects, ...extra],
  seq,
  rateHz: 30,
  events: [],
  lesson: null,
});
const semOf = (s: Snapshot): SemSetObject => s.objects.find((o): o is SemSetObject => o.kind === 'sem')!;
const shmOf = (s: Snapshot): ShmObject => s.objects.find((o): o is ShmObject => o.kind === 'shm')!;
const hex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

const { show, advance } = frameFeed();

const cell = (row: string, column: string) => screen.getByTestId(`kt-${row}-${column}`);

describe('the kernel tables panel', () => {
  it('prints the ipcs rows of the frame: cells equal the frame numbers, in each table', () => {
    render(<KernelTables />);
    show(frameOf(sem.gate, 1, [sem.msgQueue, shmOf(shm.dest)]));
    const seg = shmOf(sem.gate);
    expect(screen.getByTestId('kt-shm').dataset.rows).toBe('2');
    expect(['key', 'shmid', 'owner', 'perms', 'bytes', 'nattch', 'status'].map((c) => cell(seg.id, c).textContent)).toEqual([
      hex(seg.key),
      String(seg.shmid),
      String(seg.owner),
      (seg.mode & 0o777).toString(8),
      String(seg.size),
      String(seg.nattch),
      '',
    ]);
    expect(seg.nattch).toBe(3);
    expect(cell(shmOf(shm.dest).id, 'status').textContent).toBe('dest');
    const q = sem.msgQueue;
    expect(['msqid', 'used-bytes', 'messages'].map((c) => cell(q.id, c).textContent)).toEqual([String(q.msqid), String(q.bytes), String(q.messages)]);
    const set = semOf(sem.gate);
    expect(cell(set.id, 'nsems').textContent).toBe(String(set.semaphores.length));
    set.semaphores.forEach((s, num) => {
      expect(['semnum', 'value', 'ncount', 'zcount', 'pid'].map((c) => cell(`${set.id}#${num}`, c).textContent)).toEqual(
        [num, s.value, s.waitingForIncrease, s.waitingForZero, s.lastPid].map(String),
      );
    });
    // nothing is highlighted just because the panel opened
    expect(document.querySelectorAll('[data-changed="true"]')).toHaveLength(0);
  });

  it('prints the owner by name, as ipcs does, when the engine found one in /etc/passwd; else the uid', () => {
    render(<KernelTables />);
    /* the recorded segment as the engine now sends it (ownerName: probe/process/user-names.ts), and the recorded set without a name */
    const seg = { ...shmOf(sem.gate), ownerName: 'root' };
    const set = semOf(sem.gate);
    show(frameOf({ ...sem.gate, objects: sem.gate.objects.map((o) => (o.id === seg.id ? seg : o)) }, 1));
    expect(cell(seg.id, 'owner').textContent).toBe('root');
    expect(cell(set.id, 'owner').textContent).toBe(String(set.owner));
  });

  it('highlights the cells that changed from one frame to the next, for a moment', () => {
    render(<KernelTables />);
    show(frameOf(sem.gate, 1));
    show(frameOf(sem.mutex, 2));
    const [before, after] = [semOf(sem.gate), semOf(sem.mutex)];
    const changed = [...document.querySelectorAll('[data-changed="true"]')].map((el) => el.getAttribute('data-testid'));
    // every changed number is highlighted, and nothing else
    const expected: string[] = [];
    after.semaphores.forEach((s, num) => {
      const b = before.semaphores[num]!;
      for (const [column, x, y] of [
        ['value', b.value, s.value],
        ['ncount', b.waitingForIncrease, s.waitingForIncrease],
        ['zcount', b.waitingForZero, s.waitingForZero],
        ['pid', b.lastPid, s.lastPid],
      ] as const)
        if (x !== y) expected.push(`kt-${after.id}#${num}-${column}`);
    });
    expect(expected).toContain(`kt-${after.id}#0-zcount`);
    expect(expected).toContain(`kt-${after.id}#1-ncount`);
    expect(changed.sort()).toEqual(expected.sort());
    expect(cell(`${after.id}#1`, 'ncount').className).toBe('kt-changed');
    expect(cell(after.id, 'semid').dataset.changed).toBe('false');
    // the highlight fades: HIGHLIGHT_MS later nothing is marked
    advance(HIGHLIGHT_MS / 2);
    expect(cell(`${after.id}#1`, 'ncount').dataset.changed).toBe('true');
    advance(HIGHLIGHT_MS);
    expect(document.querySelectorAll('[data-changed="true"]')).toHaveLength(0);
    expect(cell(`${after.id}#1`, 'ncount').textContent).toBe('1');
  });

  it('is a side tab, in three languages', () => {
    render(<SideTabs />);
    show(frameOf(sem.slots, 1));
    act(() => screen.getByTestId('tab-kernel').click());
    expect(screen.getByTestId('kernel-tables')).toBeTruthy();
    expect(screen.getByTestId('kt-msg').textContent).toContain('none in view');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('kt-sem').textContent).toContain('號誌陣列（ipcs -s）');
  });
});

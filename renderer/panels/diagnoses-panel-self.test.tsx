import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-diagnoses-self.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { DiagnosesPanel } from './diagnoses-panel';
import { showSnapshot } from './testing/diagnosis-card';

/*
 * Frames a Sampler diagnosing with confirmMs 3000 took of a real python3
 * process (native-bridge/diagnose/testing/capture-frames.ts self): it made a
 * pipe and wrote 70000 bytes into it, so it sleeps in write() on the full
 * pipe (65536 of 65536) whose only read end it holds itself: a ring of one.
 *   pending: held 1240 ms of the 3000; confirmed: the frame that publishes it.
 */
const frames = captured as unknown as { pending: Snapshot; confirmed: Snapshot };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('a process deadlocked on itself, while it is checked', () => {
  it('is one process waking only itself, not processes waiting on each other, in each language', () => {
    const [pending] = frames.pending.diagnosesPending!;
    expect(pending).toMatchObject({ kind: 'deadlock', processes: [expect.any(Number)] });
    const pipe = pending!.objects[0]!.replace('pipe:', 'pipe ');
    render(<DiagnosesPanel />);
    showSnapshot(frames.pending);
    const line = () => screen.getByTestId('diagnosis-pending-0').textContent;
    expect(line()).toBe(`Checking: a process asleep on ${pipe}, which only it could wake, for 1.2 s of 3.0 s.`);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(line()).toBe(`正在核实：一个进程睡在只有它自己才能唤醒的 ${pipe} 上，已观察 1.2 秒，需 3.0 秒。`);
    expect(line()).not.toMatch(/互相|对方/);
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(line()).toBe(`正在核實：一個行程睡在只有它自己才能喚醒的 ${pipe} 上，已觀察 1.2 秒，需 3.0 秒。`);
    expect(line()).not.toMatch(/互相|對方/);
  });

  it('once published, its card says only it could wake itself', () => {
    render(<DiagnosesPanel />);
    showSnapshot(frames.pending);
    showSnapshot(frames.confirmed, 2);
    const card = screen.getByTestId('diagnosis-card-0');
    expect(card.getAttribute('data-kind')).toBe('deadlock');
    expect(card.textContent).toMatch(/Only it holds a read end itself\./);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId('diagnosis-card-0').textContent).toMatch(/只有它自己持有读端/);
  });
});

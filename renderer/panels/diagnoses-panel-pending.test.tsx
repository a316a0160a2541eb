import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-diagnoses-pending.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { DiagnosesPanel } from './diagnoses-panel';
import { SideTabs } from './side-tabs';
import { showSnapshot } from './testing/diagnosis-card';

/*
 * Frames a Sampler diagnosing with confirmMs 3000 took of real python3
 * processes (native-bridge/diagnose/testing/capture-frames.ts pending):
 *   pending: 7637 asleep in read on pipe 41132880, 7718 in read on pipe 41132881, each holding the
 *            other's only write end; the kernel had shown them so for 1203 ms of the 3000 (their CPU
 *            clocks unmoved since the scan of a sample that itself took 1.2 s);
 *   confirmed: the same pair, published;
 *   healthy: a reader asleep on a pipe whose writer sleeps in nanosleep: nothing found, nothing pending.
 */
const frames = captured as unknown as { pending: Snapshot; confirmed: Snapshot; healthy: Snapshot };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the diagnoses panel while the engine is still confirming', () => {
  it('says what it is checking and for how long it has held, never "nothing stuck"', () => {
    render(<DiagnosesPanel />);
    showSnapshot(frames.pending);
    expect(screen.queryByTestId('diagnoses-none')).toBeNull();
    expect(screen.queryByTestId('diagnosis-card-0')).toBeNull();
    expect(screen.getByTestId('diagnoses-pending').querySelector('h3')!.textContent).toBe('Being checked (1)');
    const line = screen.getByTestId('diagnosis-pending-0');
    expect(line.getAttribute('data-kind')).toBe('deadlock');
    expect(line.textContent).toBe('Checking: 2 processes asleep on each other (pipe 41132880 · pipe 41132881) for 1.2 s of 3.0 s.');
    /* the bar shows the same share: 1203 of 3000 ms */
    expect((line.querySelector('.diagnosis-progress > span') as HTMLElement).style.width).toBe('40%');
  });

  it('speaks the learner\'s language', () => {
    render(<DiagnosesPanel />);
    showSnapshot(frames.pending);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId('diagnosis-pending-0').textContent).toBe('正在核实：2 个进程互相等待对方（pipe 41132880 · pipe 41132881），已观察 1.2 秒，需 3.0 秒。');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('diagnosis-pending-0').textContent).toBe('正在核實：2 個行程互相等待對方（pipe 41132880 · pipe 41132881），已觀察 1.2 秒，需 3.0 秒。');
    expect(screen.getByTestId('diagnoses-pending').querySelector('h3')!.textContent).toBe('正在核實（1）');
  });

  it('shows the deadlock once published, with nothing left pending; a healthy frame has neither', () => {
    render(<DiagnosesPanel />);
    showSnapshot(frames.pending);
    showSnapshot(frames.confirmed, 2);
    expect(screen.getByTestId('diagnosis-card-0').getAttribute('data-kind')).toBe('deadlock');
    expect(screen.queryByTestId('diagnoses-pending')).toBeNull();
    expect(screen.queryByTestId('diagnoses-none')).toBeNull();
    /* held since the pending frame's "since": 1796463150327 to the pass at 1796463154144 */
    expect(screen.getByTestId('diagnosis-card-0').querySelector('h3')!.textContent).toBe('Deadlock · seen for 3.8 s');
    /* the time counts from when this run first saw it, not from when the processes got stuck */
    expect(screen.getByTestId('diagnosis-card-0').querySelector('.diagnosis-since')!.getAttribute('title')).toBe(
      'Since ipcscope first saw it in this run or observation: it may have begun earlier.',
    );
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('diagnosis-card-0').querySelector('h3')!.textContent).toBe('死結 · 已觀察到 3.8 秒');
    act(() => useAppStore.getState().setLocale('en'));
    showSnapshot(frames.healthy, 3);
    expect(screen.getByTestId('diagnoses-none').textContent).toMatch(/^Nothing stuck found/);
    expect(screen.queryByTestId('diagnoses-pending')).toBeNull();
    expect(screen.queryByTestId('diagnosis-card-0')).toBeNull();
  });

  it('the tab says it is checking, not "(0)", while a finding is being confirmed, in each language', () => {
    render(<SideTabs observing />);
    showSnapshot(frames.pending);
    const tab = screen.getByTestId('tab-diagnoses');
    expect(tab.textContent).toBe('Diagnoses (checking…)');
    expect(tab.classList.contains('checking')).toBe(true);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(tab.textContent).toBe('诊断（核实中…）');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(tab.textContent).toBe('診斷（核實中…）');
    act(() => useAppStore.getState().setLocale('en'));
    showSnapshot(frames.confirmed, 2);
    expect(tab.textContent).toBe('Diagnoses (1)');
    expect(tab.classList.contains('checking')).toBe(false);
    showSnapshot(frames.healthy, 3);
    expect(tab.textContent).toBe('Diagnoses (0)');
  });

  it('a published diagnosis and another still checked: both on the tab', () => {
    render(<SideTabs observing />);
    showSnapshot({ ...frames.confirmed, diagnosesPending: frames.pending.diagnosesPending });
    expect(screen.getByTestId('tab-diagnoses').textContent).toBe('Diagnoses (1, checking…)');
  });
});

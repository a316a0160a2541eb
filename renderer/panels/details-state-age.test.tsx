import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { freshRenderer } from '../fixtures/test-setup';
import { wireKeepsPoolFrame } from '../map/testing/wire-pool-frame';
import { useAppStore } from '../store/app-store';
import { DetailsPanel } from './details-panel';

/* a whole-machine frame (built by hand): worker 1000 checked 0.6 s before it, 1001 at it, 1002 ran recently (no checkedAt) */
function cadenceFrame(): Frame {
  const frame = wireKeepsPoolFrame(3, 16);
  const takenAt = frame.takenAt;
  frame.cadence = { coldAfterMs: 2000, recheckMs: 1000 };
  frame.processes = frame.processes.map((p) => (p.pid === 1000 ? { ...p, checkedAt: takenAt - 600 } : p.pid === 1001 ? { ...p, checkedAt: takenAt } : p));
  return frame;
}

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the inspector says how old a process state is in a whole-machine frame', () => {
  it('for a cold process: when it was read and how often it is re-checked, in three languages', () => {
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(cadenceFrame()));
    act(() => useAppStore.getState().select('process:1000'));
    expect(screen.getByTestId('state-age').textContent).toBe('0.6 s ago; re-checked every 1 s while idle');
    expect(screen.getByText('State read')).toBeTruthy();
    expect(screen.getByTestId('state-age').getAttribute('title')).toBe('Idle: no CPU time for 2 s or more. Until the next check the state shown is the last one the kernel confirmed.');
    act(() => useAppStore.getState().select('process:1001'));
    expect(screen.getByTestId('state-age').textContent).toBe('at this frame; re-checked every 1 s while idle');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId('state-age').textContent).toBe('本帧；空闲时每 1 秒复查一次');
    act(() => useAppStore.getState().select('process:1000'));
    expect(screen.getByTestId('state-age').textContent).toBe('0.6 秒前；空闲时每 1 秒复查一次');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('state-age').textContent).toBe('0.6 秒前；閒置時每 1 秒複查一次');
  });

  it('says nothing for a process read at this frame, nor in a frame without a cadence (a lesson, a PID scope)', () => {
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(cadenceFrame()));
    act(() => useAppStore.getState().select('process:1002'));
    expect(screen.queryByTestId('state-age')).toBeNull();
    const plain = cadenceFrame();
    delete plain.cadence;
    act(() => useAppStore.getState().ingestFrame(plain));
    act(() => useAppStore.getState().select('process:1000'));
    expect(screen.queryByTestId('state-age')).toBeNull();
  });
});

describe('the inspector says when a kernel-wide object was read in a whole-machine frame', () => {
  /* a socket listed by a dump 0.6 s before the frame (kind-cadence.ts), beside the pool's pipes (read at every frame) */
  function socketFrame(checkedAgo: number): Frame {
    const frame = cadenceFrame();
    frame.objects = [
      ...frame.objects,
      { id: 'unix:77', kind: 'unix', inode: 77, type: 'stream', state: 'ESTAB', peer: null, queued: 12, holders: [{ pid: 1000, fd: 5, access: 'rw' }], checkedAt: frame.takenAt - checkedAgo },
    ];
    return frame;
  }

  it('how old its numbers are and when it is read again, in three languages; nothing for a pipe', () => {
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(socketFrame(600)));
    act(() => useAppStore.getState().select('unix:77'));
    expect(screen.getByTestId('object-age').textContent).toBe('0.6 s ago; read again when a process that can change it runs, at least every 1 s');
    expect(screen.getByText('Read')).toBeTruthy();
    act(() => useAppStore.getState().ingestFrame(socketFrame(0)));
    expect(screen.getByTestId('object-age').textContent).toBe('at this frame; read again when a process that can change it runs, at least every 1 s');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId('object-age').textContent).toBe('本帧；能改变它的进程运行时重读，至少每 1 秒一次');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    act(() => useAppStore.getState().ingestFrame(socketFrame(600)));
    expect(screen.getByTestId('object-age').textContent).toBe('0.6 秒前；能改變它的行程執行時重讀，至少每 1 秒一次');
    const pipe = useAppStore.getState().frame!.objects.find((o) => o.kind === 'pipe')!;
    act(() => useAppStore.getState().select(pipe.id));
    expect(screen.queryByTestId('object-age')).toBeNull();
  });
});

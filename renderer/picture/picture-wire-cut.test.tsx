import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PARENT, pipeMoments } from '../fixtures/pipe-lesson-frames';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { Picture } from './picture';

/* frames arrive through the store; the picture draws on the next animation frame */
const { show } = frameFeed();

describe('the picture on a frame whose descriptor lists the wire cut', () => {
  it('counts the descriptors not sent in its "+N more" line', () => {
    const { childBlocked } = pipeMoments();
    /* as wire-frame.ts sends a process with 40 more descriptors than it lists: 3 listed, 37 counted */
    const extra = Array.from({ length: 3 }, (_, i) => ({ fd: 20 + i, object: 'file:/dev/null', access: 'r' as const, target: '/dev/null' }));
    const frame = {
      ...childBlocked,
      processes: childBlocked.processes.map((p) => (p.pid === PARENT ? { ...p, fds: [...p.fds, ...extra], fdsTotal: p.fds.length + 40, fdsOmitted: [{ kind: 'file', access: 'r' as const, count: 37 }] } : p)),
    };
    render(<Picture />);
    act(() => useAppStore.getState().setShowAll(true));
    show(frame);
    const node = screen.getByTestId(`process-${PARENT}`);
    /* the other descriptors the frame lists fit under the node (fewer than 8): all drawn, and the 37 not sent counted */
    const listed = node.querySelectorAll('[data-testid^="fd-"]').length;
    expect(listed).toBeGreaterThan(3);
    expect(listed).toBeLessThan(8);
    expect(node.textContent).toContain('+37 more');
  });
});

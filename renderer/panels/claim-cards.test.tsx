import { fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { toolkitMoments } from '../fixtures/toolkit-lesson-frames';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

describe('claim cards', () => {
  it('show the claim, the kernel\'s verdict and what was measured, or when it will be checked', async () => {
    const { emit } = await renderApp(clock);
    emit(toolkitMoments().beforeRead);
    fireEvent.click(screen.getByTestId('tab-claims'));
    expect(screen.getByTestId('tab-claims').textContent).toBe('Claims (2)');
    const measured = screen.getByTestId('claim-pipe-capacity');
    expect(measured.getAttribute('data-holds')).toBe('holds');
    expect(measured.textContent).toContain('A pipe holds 64 KiB before a writer blocks.');
    expect(measured.textContent).toContain('The kernel agrees');
    expect(measured.textContent).toContain('F_GETPIPE_SZ65536');
    expect(measured.textContent).toContain('PIPE_BUF4096');
    expect(measured.textContent).toContain('measured after step 2');
    const pending = screen.getByTestId('claim-eof-needs-all-writers-closed');
    expect(pending.getAttribute('data-holds')).toBe('pending');
    expect(pending.textContent).toContain('Not checked yet');
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(screen.getByTestId('claim-pipe-capacity').textContent).toContain('内核证实');
  });

  it('have no tab in a lesson without claims', async () => {
    const { emit } = await renderApp(clock);
    emit(pipeMoments().childBlocked);
    expect(screen.queryByTestId('tab-claims')).toBeNull();
    expect(screen.getByTestId('tab-steps').getAttribute('aria-selected')).toBe('true');
  });
});

import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshRenderer } from '../fixtures/test-setup';
import { tooltipLines } from '../map/map-tooltip';
import { useAppStore } from '../store/app-store';
import { translatorFor } from '../store/selectors';
import { DetailsPanel } from './details-panel';
import { groupFrame } from '../map/map-group';
import type { MapModel } from '../map/map-view';
import { wireKeepsPoolFrame } from '../map/testing/wire-pool-frame';

/* the pool's keeps version at N = 100, as the wire sends it: lists cut at 16, the rest counted */
const frame = wireKeepsPoolFrame(100, 16);

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the inspector on a frame whose lists the wire cut', () => {
  it('lists what it has and says how many more, and what they are, in three languages', () => {
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(frame));
    act(() => useAppStore.getState().select('process:1099'));
    expect(screen.getAllByRole('listitem').filter((li) => li.textContent?.startsWith('0 '))).toHaveLength(1);
    expect(screen.getByTestId('fds-more').textContent).toBe('+84 more: 84 pipe write ends');
    act(() => useAppStore.getState().select('pipe:50000'));
    expect(screen.getByTestId('holders-more').textContent).toBe('+85 more: 85 × worker (children of 100) holding write ends');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId('holders-more').textContent).toBe('另有 85 个未列出：85 个 worker（100 的子进程）持有写端');
    act(() => useAppStore.getState().select('process:1099'));
    expect(screen.getByTestId('fds-more').textContent).toBe('另有 84 个未列出：84 个 pipe 写端');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('fds-more').textContent).toBe('另有 84 個未列出：84 個 pipe 寫端');
    act(() => useAppStore.getState().select('pipe:50000'));
    expect(screen.getByTestId('holders-more').textContent).toBe('另有 85 個未列出：85 個 worker（100 的子行程）持有寫端');
  });

  it('says nothing more when the lists are whole', () => {
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(wireKeepsPoolFrame(5, 16)));
    act(() => useAppStore.getState().select('process:1004'));
    expect(screen.queryByTestId('fds-more')).toBeNull();
  });

  it('the map tooltip counts every descriptor and holder, not only the ones sent', () => {
    const model = { frame, groups: groupFrame(frame, new Set()) } as unknown as MapModel;
    const t = translatorFor('en');
    expect(tooltipLines({ type: 'process', pid: 1099 }, model, t)).toContain('100 fd');
    expect(tooltipLines({ type: 'object', id: 'pipe:50000' }, model, t).at(-1)).toMatch(/\+95$/);
  });
});

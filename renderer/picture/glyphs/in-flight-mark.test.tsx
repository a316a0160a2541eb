import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import captured from '../../fixtures/real-frames-pass-descriptor.json';
import { frameFeed } from '../../fixtures/frame-feed';
import { Picture } from '../picture';

/*
 * Frames the engine sent while the pass-descriptor lesson ran
 * (native-bridge/lessons/testing/record-pass-descriptor-frames.ts): `inFlight`
 * with the pipe's read end sent and closed by the sender (the receiver's socket:
 * Recv-Q 1, fdinfo scm_fds 1; the pipe: no read end in any descriptor table),
 * `received` after the receiver's recvmsg.
 */
const frames = captured as unknown as Record<'inFlight' | 'received', Frame>;

const { show } = frameFeed();

/** The receiver's connected socket: the end holding the received queue. */
const receiving = (frame: Frame) => frame.objects.find((o) => o.kind === 'unix' && o.state === 'ESTAB' && o.holders.some((h) => h.pid === frame.lesson!.roles.receiver))!;

describe('descriptors in flight, on frames of a real run', () => {
  it('marks the descriptor in the receiver\'s queue with the kernel\'s count, and draws the connected pair once', () => {
    const frame = frames.inFlight;
    render(<Picture />);
    show(frame);
    expect(document.querySelectorAll('[data-kind="unix-pair"]')).toHaveLength(1);
    const end = receiving(frame);
    const mark = screen.getByTestId(`in-flight-${end.id}`);
    expect(mark.getAttribute('data-fds')).toBe('1');
    expect(mark.textContent).toContain('fd ×1');
    expect(mark.textContent).toContain('1 fd in flight');
    /* the pipe as the descriptor tables show it: no read end held, the write end the sender's */
    const pipe = frame.objects.find((o) => o.kind === 'pipe')!;
    expect(screen.getByTestId(`object-${pipe.id}`).textContent).toContain('0 readers · 1 writer');
    /* 31 bytes queued but no read end to copy them from: not "(empty)" */
    expect(screen.getByTestId(`peek-${pipe.id}`).textContent).toBe('(no read end to peek)');
    /* the accepted end is drawn by the pair glyph, never reported as gone */
    expect(screen.queryByTestId(`gone-${end.id}`)).toBeNull();
  });

  it('drops the mark once recvmsg has taken the descriptor', () => {
    render(<Picture />);
    show(frames.received);
    expect(document.querySelectorAll('[data-testid^="in-flight-"]')).toHaveLength(0);
    expect(document.querySelectorAll('[data-kind="unix-pair"]')).toHaveLength(1);
  });
});

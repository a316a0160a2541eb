import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { MqueueObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-mqueue.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { mqueueExitSide } from './msgq-glyph-posix';
import { Picture } from '../picture';

/*
 * Two snapshots the engine took (`ipcscope snapshot --pid ... --json`) while
 * the msgq-posix lesson ran: `queued` with three messages (16 bytes) sent
 * by the sender, which holds the queue for writing only (QSIZE read through
 * its own mqueue mount); `waiting` with the queue empty and the receiver
 * asleep in mq_receive (mq_timedreceive, wq_sleep).
 */
const { queued, waiting } = captured as unknown as { queued: Snapshot; waiting: Snapshot };
const queueOf = (snapshot: Snapshot): MqueueObject => snapshot.objects.find((o): o is MqueueObject => o.kind === 'mqueue')!;
const receiverPid = waiting.processes.find((p) => p.blocked?.syscallNr === 243)!.pid;
const senderPid = queueOf(queued).holders[0]!.pid;
const frameOf = (snapshot: Snapshot, seq: number): Frame => ({
  ...snapshot,
  seq,
  rateHz: 30,
  events: [],
  lesson: {
    ...pipeMoments().childBlocked.lesson!,
    objects: [queueOf(snapshot).id],
    roles: snapshot.processes.some((p) => p.pid === receiverPid) ? { sender: senderPid, receiver: receiverPid } : { sender: senderPid },
  },
});
const text = (id: string) => screen.getByTestId(id).textContent;

const { show } = frameFeed();

describe('the POSIX message-queue picture', () => {
  it('draws a captured queue: its name, one slot per mq_maxmsg with mq_curmsgs filled, QSIZE and mq_msgsize, and why no contents are shown', () => {
    const q = queueOf(queued);
    render(<Picture />);
    show(frameOf(queued, 1));
    const id = q.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-kind')).toBe('mqueue');
    expect(text(`mqueue-name-${id}`)).toBe(q.name);
    const slots = screen.getByTestId(`mqueue-slots-${id}`);
    expect(slots.getAttribute('data-slots')).toBe(String(q.maxMessages));
    expect(slots.getAttribute('data-messages')).toBe(String(q.messages));
    const filled = [...slots.querySelectorAll('[data-filled="true"]')];
    expect(filled).toHaveLength(q.messages!);
    expect(text(`mqueue-count-${id}`)).toBe(`${q.messages} of ${q.maxMessages} messages (mq_maxmsg)`);
    expect(q.queued).toBe(16);
    expect(text(`mqueue-bytes-${id}`)).toBe(`QSIZE ${q.queued} B · each ≤ ${q.messageSize} B`);
    expect(text(`mqueue-nopeek-${id}`)).toBe('no peek in POSIX: contents hidden');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text(`mqueue-count-${id}`)).toBe(`${q.messages} / ${q.maxMessages} 則訊息（mq_maxmsg）`);
  });

  it('draws the empty queue with the receiver asleep in mq_receive, on the reader\'s side as the exit', () => {
    const q = queueOf(waiting);
    render(<Picture />);
    show(frameOf(waiting, 1));
    const id = q.id;
    expect(screen.getByTestId(`mqueue-slots-${id}`).querySelectorAll('[data-filled="true"]')).toHaveLength(0);
    expect(text(`mqueue-bytes-${id}`)).toBe(`QSIZE 0 B · each ≤ ${q.messageSize} B`);
    expect(text(`mqueue-waits-${id}-${receiverPid}`)).toBe(`pid ${receiverPid} waits in mq_receive`);
    /* the receiver is the second role: placed on the right */
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-exit')).toBe('right');
  });

  it('says when QSIZE cannot be read (no mqueue mount, only a writer holds it)', () => {
    const q = queueOf(queued);
    render(<Picture />);
    show({ ...frameOf(queued, 1), objects: queued.objects.map((o) => (o.id === q.id ? { ...q, queued: null } : o)) });
    expect(text(`mqueue-bytes-${q.id}`)).toBe('QSIZE unreadable: no mqueue mount');
    expect(mqueueExitSide({ ...q, holders: [] }, [])).toBe('right');
  });
});

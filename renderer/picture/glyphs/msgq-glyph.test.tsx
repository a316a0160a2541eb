import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { MsgQueueObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-msgq.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { entranceSide, messageBoxes, msgqKeyHex, queueFill } from './msgq-glyph';
import { Picture } from '../picture';

/*
 * Two snapshots the engine took (`ipcscope snapshot --pid R,S --json --peek 64`)
 * while the msgq-typed lesson ran: `waiting` after the sender queued "apple"
 * (type 1) and "cherry" (type 3), the receiver asleep in msgrcv for type 2;
 * `full` after msg_qbytes was lowered to 40 with "cherry" (7 B) left, the
 * sender asleep in msgsnd with 36 bytes that do not fit.
 */
const { waiting, full } = captured as unknown as { waiting: Snapshot; full: Snapshot };
const queueOf = (snapshot: Snapshot): MsgQueueObject => snapshot.objects.find((o): o is MsgQueueObject => o.kind === 'msg')!;
/* the lesson's roles: the receiver (first, on the left) made the queue; the sender's pid is its lspid */
const roles = { receiver: queueOf(waiting).waitingReceivers[0]!, sender: queueOf(waiting).lastSender };
/* as the lesson shows it: its roles and the one object it made (the actors' own control pipes and sockets are not drawn) */
const frameOf = (snapshot: Snapshot, seq: number): Frame => ({
  ...snapshot,
  seq,
  rateHz: 30,
  events: [],
  lesson: { ...pipeMoments().childBlocked.lesson!, objects: [queueOf(snapshot).id], roles },
});
const text = (id: string) => screen.getByTestId(id).textContent;

const { show } = frameFeed();

describe('the message-queue picture', () => {
  it('draws a captured queue: key and id, each message with its type, size and first bytes, msg_qbytes as the bar, a receiver waiting for type 2 at the exit', () => {
    const q = queueOf(waiting);
    const [receiver] = q.waitingReceivers;
    render(<Picture />);
    show(frameOf(waiting, 1));
    const id = q.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-kind')).toBe('msg');
    expect(text(`msgq-title-${id}`)).toBe(`msg ${q.msqid}`);
    expect(text(`msgq-key-${id}`)).toBe(`key ${msgqKeyHex(q.key)}`);
    /* ftok(dir, 'q'): the top byte of the key is proj_id */
    expect(q.key >>> 24).toBe(0x71);
    expect(screen.getByTestId(`msgq-messages-${id}`).getAttribute('data-messages')).toBe(String(q.messages));
    expect(q.firstMessages).toHaveLength(2);
    q.firstMessages!.forEach((m, i) => {
      const box = screen.getByTestId(`msgq-msg-${id}-${i}`);
      expect(box.getAttribute('data-type')).toBe(String(m.type));
      expect(box.getAttribute('data-bytes')).toBe(String(m.bytes));
      expect(box.textContent).toContain(`type ${m.type}`);
      expect(box.textContent).toContain(`${m.bytes} B`);
    });
    expect(text(`msgq-peek-${id}-0`)).toBe('apple\\0');
    expect(text(`msgq-peek-${id}-1`)).toBe('cherry\\0');
    const bar = screen.getByTestId(`msgq-capacity-${id}`);
    expect([bar.getAttribute('data-bytes'), bar.getAttribute('data-max')]).toEqual([String(q.bytes), String(q.maxBytes)]);
    expect(text(`msgq-capacity-text-${id}`)).toBe(`${q.bytes} of ${q.maxBytes} B (msg_qbytes)`);
    expect(text(`msgq-count-${id}`)).toBe(`messages: ${q.messages} · ${q.bytes} B queued`);
    expect(text(`msgq-pids-${id}`)).toBe(`last msgsnd ${q.lastSender} · msgrcv none`);
    expect(q.receiverTypes).toEqual({ [receiver!]: 2 });
    expect(text(`msgq-waits-${id}-${receiver}`)).toBe(`pid ${receiver} waits for type 2`);
    expect(screen.getByTestId(`msgq-waitline-${id}-${receiver}`)).toBeTruthy();
    /* the receiver sits on the left: the exit is there, the entrance on the sender's side */
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-entrance')).toBe('right');
  });

  it('draws the small full queue: 7 of 40 bytes, the sender waiting for room at the entrance, in Chinese too', () => {
    const q = queueOf(full);
    const [sender] = q.waitingSenders;
    render(<Picture />);
    show(frameOf(full, 1));
    const id = q.id;
    expect(q.maxBytes).toBe(40);
    const bar = screen.getByTestId(`msgq-capacity-${id}`);
    expect(Number(bar.getAttribute('data-fill'))).toBeCloseTo(q.bytes / q.maxBytes, 4);
    expect(text(`msgq-capacity-text-${id}`)).toBe(`${q.bytes} of 40 B (msg_qbytes)`);
    expect(screen.getByTestId(`msgq-msg-${id}-0`).getAttribute('data-type')).toBe('3');
    expect(screen.queryByTestId(`msgq-msg-${id}-1`)).toBeNull();
    expect(text(`msgq-waits-${id}-${sender}`)).toBe(`pid ${sender} waits for room`);
    expect(screen.getByTestId(`msgq-waitline-${id}-${sender}`)).toBeTruthy();
    expect(text(`msgq-pids-${id}`)).toBe(`last msgsnd ${q.lastSender} · msgrcv ${q.lastReceiver}`);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text(`msgq-capacity-text-${id}`)).toBe(`${q.bytes} / 40 字节（msg_qbytes）`);
    expect(text(`msgq-waits-${id}-${sender}`)).toBe(`进程 ${sender} 在等空间`);
  });

  it('says a queue the lesson made and the kernel no longer lists was removed with its messages', () => {
    const q = queueOf(full);
    render(<Picture />);
    show({ ...frameOf(full, 1), objects: full.objects.filter((o) => o.id !== q.id) });
    expect(text(`gone-${q.id}`)).toBe(`msg ${q.msqid} is gone: removed (IPC_RMID or ipcrm -q) with its messages`);
  });

  it('boxes: "+N more" past four, plain boxes when nothing was copied; entrance on the sender\'s side; fill 0 when msg_qbytes is unknown', () => {
    const q = queueOf(waiting);
    expect(messageBoxes({ ...q, messages: 6, firstMessages: undefined }).map((b) => ('more' in b ? `+${b.more}` : String(b.type)))).toEqual(['null', 'null', 'null', '+3']);
    expect(messageBoxes({ ...q, messages: 0, firstMessages: [] })).toEqual([]);
    expect(entranceSide({ ...q, waitingSenders: [5] }, [{ pid: 5, x: 0, y: 0, side: 'right' }])).toBe('right');
    expect(entranceSide({ ...q, waitingSenders: [], lastSender: 0, waitingReceivers: [5] }, [{ pid: 5, x: 0, y: 0, side: 'right' }])).toBe('left');
    expect([queueFill(7, 40), queueFill(7, 0), queueFill(80, 40)]).toEqual([7 / 40, 0, 1]);
  });
});

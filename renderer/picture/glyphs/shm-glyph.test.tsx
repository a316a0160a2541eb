import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { ShmObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-shm.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { Picture } from '../picture';
import { pageCover, shmContent, shmKeyHex, shmPages } from './shm-glyph';

/*
 * Two snapshots the engine took (`ipcscope snapshot --pid P,C --json --peek 64`)
 * of a C program that made a 4000-byte segment with ftok(dir, 0x41) and
 * IPC_CREAT|IPC_EXCL, attached it, stored "hello from the server", forked
 * (the child inherits the attachment) and attached it again in the child:
 * nattch 3 for two processes (the child maps it twice; mappedAt gives its
 * first mapping, as its maps list it). `dest` was taken after `ipcrm -m ID`: key 0,
 * marked for deletion, still attached.
 */
const { live, dest } = captured as unknown as { live: Snapshot; dest: Snapshot };
const frameOf = (snapshot: Snapshot, seq: number): Frame => ({ ...snapshot, seq, rateHz: 30, events: [], lesson: null });
const shmOf = (snapshot: Snapshot): ShmObject => snapshot.objects.find((o): o is ShmObject => o.kind === 'shm')!;

const { show } = frameFeed();

describe('the shared-memory segment picture', () => {
  it('draws the numbers of a captured frame: key, id, pages, nattch, creator and last user, first bytes, one line per attached process', () => {
    const shm = shmOf(live);
    render(<Picture />);
    show(frameOf(live, 1));
    const id = shm.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-kind')).toBe('shm');
    expect(screen.getByTestId(`shm-title-${id}`).textContent).toBe(`shm ${shm.shmid}`);
    expect(screen.getByTestId(`shm-key-${id}`).textContent).toBe(`key ${shmKeyHex(shm.key)}`);
    expect(shm.key >>> 24).toBe(0x41);
    expect(screen.getByTestId(`shm-nattch-${id}`).getAttribute('data-nattch')).toBe(String(shm.nattch));
    expect(screen.getByTestId(`shm-nattch-${id}`).textContent).toContain(String(shm.nattch));
    expect(screen.getByTestId(`shm-size-${id}`).textContent).toBe(`${shm.size} B asked · 1 × 4096 B pages`);
    expect(screen.getByTestId(`shm-pages-${id}`).getAttribute('data-pages')).toBe('1');
    expect(Number(screen.getByTestId(`shm-page-${id}-0`).getAttribute('data-cover'))).toBeCloseTo(shm.size / 4096, 3);
    expect(screen.getByTestId(`shm-pids-${id}`).textContent).toBe(`created by ${shm.cpid} · last used by ${shm.lpid}`);
    expect(screen.getByTestId(`shm-peek-${id}`).textContent).toBe('hello from the server');
    expect(screen.queryByTestId(`shm-dest-${id}`)).toBeNull();
    for (const pid of shm.attached) {
      expect(screen.getByTestId(`shm-attach-${id}-${pid}`)).toBeTruthy();
      // where the probe read it in the process's /proc/PID/maps
      expect(screen.getByTestId(`shm-at-${id}-${pid}`).textContent).toBe(`pid ${pid} maps it at ${shm.mappedAt![String(pid)]}`);
    }
    expect(shm.attached).toHaveLength(2);
  });

  it('shows a segment removed while attached as marked for deletion, key 0, in Chinese too', () => {
    const shm = shmOf(dest);
    expect(shm.markedForDeletion).toBe(true);
    render(<Picture />);
    show(frameOf(dest, 1));
    expect(screen.getByTestId(`shm-dest-${shm.id}`).textContent).toBe('marked for deletion (IPC_RMID)freed at the last shmdt');
    expect(screen.getByTestId(`shm-key-${shm.id}`).textContent).toBe('key 0 (IPC_PRIVATE or removed)');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId(`shm-dest-${shm.id}`).textContent).toBe('已標記刪除（IPC_RMID）最後一次 shmdt 時釋放');
  });

  it('follows nattch and the content live, frame to frame', () => {
    const shm = shmOf(live);
    render(<Picture />);
    show(frameOf(live, 1));
    const detached: ShmObject = { ...shm, nattch: 1, attached: [shm.cpid], peek: btoa('bye\0\0\0') };
    show({ ...frameOf(live, 2), objects: live.objects.map((o) => (o.id === shm.id ? detached : o)) });
    expect(screen.getByTestId(`shm-nattch-${shm.id}`).getAttribute('data-nattch')).toBe('1');
    expect(screen.getByTestId(`shm-peek-${shm.id}`).textContent).toBe('bye');
    show({ ...frameOf(live, 3), objects: live.objects.map((o) => (o.id === shm.id ? { ...shm, nattch: 0, attached: [], lpid: 0 } : o)) });
    expect(screen.getByTestId(`shm-pids-${shm.id}`).textContent).toBe(`created by ${shm.cpid} · never attached yet`);
    expect(screen.queryByTestId(`shm-attach-${shm.id}-${shm.lpid}`)).toBeNull();
  });

  it('says a segment the lesson made and the kernel no longer lists was removed, not freed by a last holder', () => {
    const shm = shmOf(live);
    render(<Picture />);
    const others = live.objects.filter((o) => o.id !== shm.id);
    const { childBlocked } = pipeMoments();
    show({ ...frameOf(live, 1), objects: others, lesson: { ...childBlocked.lesson!, objects: [shm.id], roles: {} } });
    expect(screen.getByTestId(`gone-${shm.id}`).textContent).toBe(`shm ${shm.shmid} is gone: removed (IPC_RMID or ipcrm) with nobody attached`);
  });

  it('pages: rounded up to 4096, the last page covered by what is left', () => {
    expect([shmPages(1), shmPages(4096), shmPages(4097), shmPages(0)]).toEqual([1, 1, 2, 1]);
    expect(pageCover(6144, 0, 2)).toBe(1);
    expect(pageCover(6144, 1, 2)).toBe(0.5);
    expect(shmContent(new Uint8Array(8))).toBeNull();
  });
});

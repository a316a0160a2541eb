import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import observed from '../fixtures/real-frames-observe.json';
import passed from '../fixtures/real-frames-pass-descriptor.json';
import unixServer from '../fixtures/real-frames-unix-server.json';
import tcp from '../fixtures/real-frames-tcp.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { expectFacts, inspect, showSelected } from './testing/inspector';

/* frames the engine sent during real runs (see the recorders named in each fixture's tests) */
const pass = passed as unknown as Record<'inFlight' | 'received', Frame>;
const server = unixServer as unknown as Record<'pending' | 'accepted', Frame>;
const inet = tcp as unknown as Record<'pending' | 'echoed' | 'queued' | 'clientGone', Frame>;
const observe = observed as unknown as Record<'fullPipe' | 'sockets' | 'manyPipes', Frame>;

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

const text = (id: string) => screen.getByTestId(id).textContent;

describe('the inspector on a socket says what sock_diag says', () => {
  it('a Unix socket: type, state, bound path, peer, queued bytes and descriptors in flight', () => {
    inspect(pass.inFlight, 'unix:17775764');
    expectFacts({
      type: 'stream (SOCK_STREAM)',
      state: 'ESTAB',
      path: '/tmp/ipcscope-lesson-13u8w0/pass.sock',
      peer: 'unix 17773530',
      queued: '1 B  "*"',
      'in-flight': '1 descriptor not yet received (fdinfo scm_fds)',
    });
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('facts-in-flight')).toBe('1 个描述符尚未被接收（fdinfo scm_fds）');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text('facts-in-flight')).toBe('1 個描述符尚未被接收（fdinfo scm_fds）');
  });

  it('a peer in the frame is a button that selects it', () => {
    inspect(pass.inFlight, 'unix:17775764');
    fireEvent.click(screen.getByRole('button', { name: 'unix 17773530' }));
    expect(useAppStore.getState().selection).toBe('unix:17773530');
    expect(text('facts-peer')).toBe('unix 17775764');
  });

  it('a listener: connections waiting for accept() and its backlog, no peer', () => {
    inspect(server.pending, 'unix:35686239');
    expectFacts({ state: 'LISTEN', pending: '2 · backlog 5', peer: 'none' });
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text('facts-pending')).toBe('2 個 · backlog 5');
    expect(text('facts-peer')).toBe('無');
  });

  it('a TCP socket: family, state, local and remote addresses, Send-Q, peer and peeked bytes', () => {
    inspect(inet.echoed, 'tcp:14958511');
    expectFacts({
      family: 'inet (AF_INET)',
      state: 'ESTAB',
      local: '127.0.0.1:47524',
      remote: '127.0.0.1:40473',
      'send-q': '0 B',
      peer: 'tcp 14962230',
      queued: '13 B  "hello from 1\\n"',
    });
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByText('本地地址')).toBeTruthy();
    expect(screen.getByText('状态')).toBeTruthy();
    expect(screen.getByText('远端地址')).toBeTruthy();
  });

  it('an empty queue is "0 B"; bytes an observation did not peek are "(contents not read)", never ""', () => {
    inspect(observe.sockets, 'unix:41072145');
    expect(text('facts-queued')).toBe('0 B');
    showSelected(observe.fullPipe, 'pipe:41072111');
    expect(text('facts-queued')).toBe('65536 B (contents not read)');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('facts-queued')).toBe('65536 B （内容未读取）');
  });
});

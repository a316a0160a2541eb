import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import observed from '../fixtures/real-frames-observe.json';
import passed from '../fixtures/real-frames-pass-descriptor.json';
import unixServer from '../fixtures/real-frames-unix-server.json';
import tcp from '../fixtures/real-frames-tcp.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { DetailsPanel } from './details-panel';

/* frames the engine sent during real runs (see the recorders named in each fixture's tests) */
const pass = passed as unknown as Record<'inFlight' | 'received', Frame>;
const server = unixServer as unknown as Record<'pending' | 'accepted', Frame>;
const inet = tcp as unknown as Record<'pending' | 'echoed' | 'queued' | 'clientGone', Frame>;
const observe = observed as unknown as Record<'fullPipe' | 'sockets' | 'manyPipes', Frame>;

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

const text = (id: string) => screen.getByTestId(id).textContent;
function show(frame: Frame, id: string) {
  act(() => useAppStore.getState().ingestFrame(frame));
  act(() => useAppStore.getState().select(id));
}

describe('the inspector on a socket says what sock_diag says', () => {
  it('a Unix socket: type, state, bound path, peer, queued bytes and descriptors in flight', () => {
    render(<DetailsPanel />);
    show(pass.inFlight, 'unix:17775764');
    expect(text('facts-type')).toBe('stream (SOCK_STREAM)');
    expect(text('facts-state')).toBe('ESTAB');
    expect(text('facts-path')).toBe('/tmp/ipcscope-lesson-13u8w0/pass.sock');
    expect(text('facts-peer')).toBe('unix 17773530');
    expect(text('facts-queued')).toBe('1 B  "*"');
    expect(text('facts-in-flight')).toBe('1 descriptor not yet received (fdinfo scm_fds)');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('facts-in-flight')).toBe('1 个描述符尚未被接收（fdinfo scm_fds）');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text('facts-in-flight')).toBe('1 個描述符尚未被接收（fdinfo scm_fds）');
  });

  it('a peer in the frame is a button that selects it', () => {
    render(<DetailsPanel />);
    show(pass.inFlight, 'unix:17775764');
    fireEvent.click(screen.getByRole('button', { name: 'unix 17773530' }));
    expect(useAppStore.getState().selection).toBe('unix:17773530');
    expect(text('facts-peer')).toBe('unix 17775764');
  });

  it('a listener: connections waiting for accept() and its backlog, no peer', () => {
    render(<DetailsPanel />);
    show(server.pending, 'unix:35686239');
    expect(text('facts-state')).toBe('LISTEN');
    expect(text('facts-pending')).toBe('2 · backlog 5');
    expect(text('facts-peer')).toBe('none');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text('facts-pending')).toBe('2 個 · backlog 5');
    expect(text('facts-peer')).toBe('無');
  });

  it('a TCP socket: family, state, local and remote addresses, Send-Q, peer and peeked bytes', () => {
    render(<DetailsPanel />);
    show(inet.echoed, 'tcp:14958511');
    expect(text('facts-family')).toBe('inet (AF_INET)');
    expect(text('facts-state')).toBe('ESTAB');
    expect(text('facts-local')).toBe('127.0.0.1:47524');
    expect(text('facts-remote')).toBe('127.0.0.1:40473');
    expect(text('facts-send-q')).toBe('0 B');
    expect(text('facts-peer')).toBe('tcp 14962230');
    expect(text('facts-queued')).toBe('13 B  "hello from 1\\n"');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByText('本地地址')).toBeTruthy();
    expect(screen.getByText('状态')).toBeTruthy();
    expect(screen.getByText('远端地址')).toBeTruthy();
  });

  it('an empty queue is "0 B"; bytes an observation did not peek are "(contents not read)", never ""', () => {
    render(<DetailsPanel />);
    show(observe.sockets, 'unix:41072145');
    expect(text('facts-queued')).toBe('0 B');
    show(observe.fullPipe, 'pipe:41072111');
    expect(text('facts-queued')).toBe('65536 B (contents not read)');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('facts-queued')).toBe('65536 B （内容未读取）');
  });
});

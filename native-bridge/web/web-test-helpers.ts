/** Helpers for the web server tests: a minimal session, raw TCP exchanges, the kernel's TCP table. */
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { CommandError, parseCommand } from '../model/commands';
import type { CommandResult } from '../model/commands';
import type { Frame, LessonSummary } from '../model/frame-types';
import type { EngineSession } from '../model/session-api';
import { FrameDeltaReceiver } from '../model/frame-delta-receiver';
import type { ServerMessage } from './wire-protocol';

/**
 * A session that only validates commands and emits the frames a test gives
 * it: for tests about the door (token, Host, Origin, JSON, static root), not
 * the kernel. `lessons.list` answers with `listPadding` bytes so a test can
 * make replies as large as it needs.
 */
export class TestSession implements EngineSession {
  private listeners = new Set<(frame: Frame) => void>();
  disposed = false;
  listPadding = '';
  async handle(command: unknown): Promise<CommandResult> {
    try {
      const parsed = parseCommand(command);
      if (parsed.type === 'lessons.list' && this.listPadding !== '') return { ok: true, data: this.listPadding };
      return { ok: true, data: parsed.type };
    } catch (err) {
      if (err instanceof CommandError) return { ok: false, error: err.message };
      throw err;
    }
  }
  onFrame(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  lessons(): LessonSummary[] {
    return [{ id: 'pipe-basics', title: { en: 'Pipe', 'zh-Hans': '管道', 'zh-Hant': '管道' }, summary: { en: '', 'zh-Hans': '', 'zh-Hant': '' }, mechanism: 'pipe' as const, stepCount: 1, params: [] }];
  }
  emit(frame: Frame): void {
    for (const listener of this.listeners) listener(frame);
  }
  listenerCount(): number {
    return this.listeners.size;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

export function testFrame(seq: number): Frame {
  return { seq, rateHz: 30, takenAt: Date.now(), durationMs: 1, processes: [], objects: [], problems: [], events: [], lesson: null };
}

/** Opens a raw TCP connection to 127.0.0.1:port. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Writes `bytes` on a fresh connection and resolves with everything the server
 * sent once it has sent a complete header block (or closed the connection).
 */
export async function rawExchange(port: number, bytes: string): Promise<string> {
  const socket = await rawConnect(port);
  return new Promise((resolve) => {
    let text = '';
    const done = (): void => {
      socket.destroy();
      resolve(text);
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n\r\n')) done();
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.write(bytes);
  });
}

/** The status code of an HTTP answer ("HTTP/1.1 404 ..." gives 404), 0 when there is none. */
export function statusOf(answer: string): number {
  const match = /^HTTP\/1\.[01] (\d{3}) /.exec(answer);
  return match ? Number(match[1]) : 0;
}

const TCP_STATES: Record<string, string> = { '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };

/**
 * The kernel's state of the TCP connection from 127.0.0.1:`localPort` to
 * 127.0.0.1:`remotePort` (/proc/net/tcp), or null when the kernel has none.
 */
export function tcpState(localPort: number, remotePort: number): string | null {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
    const [, local, remote, state] = line.trim().split(/\s+/);
    if (local === `0100007F:${hex(localPort)}` && remote === `0100007F:${hex(remotePort)}`) return TCP_STATES[state ?? ''] ?? state ?? null;
  }
  return null;
}

/** The frames a client received, full frames and deltas rebuilt in order (as the renderer's transport does). */
export function framesOf(messages: readonly ServerMessage[]): Frame[] {
  const receiver = new FrameDeltaReceiver();
  return messages.flatMap((m) => (m.type === 'frame' || m.type === 'delta' ? [receiver.receive(m)] : []));
}

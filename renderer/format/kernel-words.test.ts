import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import { translatorFor } from '../store/selectors';
import { escapeBytes, peekText, plainText } from './bytes-text';
import { blockedSentence, eventLine, eventShort, objectLabel } from './kernel-words';

const t = translatorFor('en');

function ev(fields: Partial<SyscallEvent>): SyscallEvent {
  return { seq: 1, time: 0, pid: 4101, role: 'child', step: 4, syscall: 'read', phase: 'return', fd: 3, bytes: 64, result: 12, errno: null, data: null, text: '', ...fields };
}

describe('bytes as text', () => {
  it('shows a newline in the pipe as \\n', () => {
    expect(peekText(btoa('hello world\n'))).toBe('hello world\\n');
    expect(escapeBytes(new Uint8Array([0x1b, 0x41, 0x00, 0x22]))).toBe('\\x1bA\\0\\"');
    expect(peekText(btoa('abcdefghij'), 5)).toBe('abcd…');
    expect(plainText(btoa('hi\n'))).toBe('hi\n');
  });

  it('decodes UTF-8 the processes print', () => {
    const bytes = new TextEncoder().encode('管道\n');
    expect(peekText(btoa(String.fromCharCode(...bytes)))).toBe('管道\\n');
  });
});

describe('kernel words', () => {
  it('builds the blocked sentence from process.blocked', () => {
    const blocked = { op: 'read' as const, syscall: 'read', syscallNr: 0, fd: 3, wchan: 'anon_pipe_read', object: 'pipe:4614' };
    expect(blockedSentence(blocked, t)).toBe('blocked in read(fd 3) on pipe 4614');
    expect(blockedSentence({ ...blocked, op: 'open', syscall: 'openat', fd: null, object: null, wchan: 'wait_for_partner' }, t)).toBe('blocked in open()');
    expect(objectLabel('unix:991')).toBe('unix 991');
  });

  it('writes log lines as pid role syscall(...) = result errno', () => {
    expect(eventLine(ev({ result: 0 }), t)).toBe('4101 child read(3, 64) = 0  EOF');
    expect(eventLine(ev({ pid: 4100, role: 'parent', syscall: 'write', fd: 4, bytes: 12, result: -1, errno: 'EPIPE', data: btoa('hello world\n') }), t)).toBe(
      '4100 parent write(4, "hello world\\n", 12) = -1 EPIPE',
    );
    expect(eventLine(ev({ phase: 'blocked', result: null }), t)).toBe('4101 child read(3, 64) … blocked');
    expect(eventLine(ev({ data: btoa('hello world\n') }), t)).toBe('4101 child read(3, 64) = 12  "hello world\\n"');
  });

  it('gives a call that never returns (exit) no made-up result in the short form', () => {
    expect(eventShort(ev({ syscall: 'exit', fd: null, bytes: null, result: null }), t)).toBe('exit()');
    expect(eventShort(ev({ result: 0 }), t)).toBe('read(3, 64) = 0  EOF');
  });
});

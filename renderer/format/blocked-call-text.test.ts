import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import { translate } from '../i18n/strings';
import { eventResult } from './kernel-words';

const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate('en', key, values);
const base: SyscallEvent = { seq: 1, time: 0, pid: 7, role: 'receiver', step: 2, syscall: 'msgrcv', phase: 'blocked', fd: null, bytes: null, result: null, errno: null, data: null, text: '' };

describe('a blocked call in the syscall log', () => {
  it('on no descriptor (msgrcv on a msqid) shows the engine\'s call text without its comment; on a descriptor, the call from its fields', () => {
    expect(eventResult({ ...base, text: 'msgrcv(5, &m, 64, 2, 0) /* asleep in the kernel */' }, t)).toBe('msgrcv(5, &m, 64, 2, 0) … blocked');
    expect(eventResult({ ...base, syscall: 'read', fd: 3, bytes: 64, text: 'read(3, 64) /* asleep in the kernel */' }, t)).toBe('read(3, 64) … blocked');
  });
});

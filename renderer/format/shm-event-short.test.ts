import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import { translate } from '../i18n/strings';
import { eventShort } from './kernel-words';

const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate('en', key, values);
const base: SyscallEvent = { seq: 1, time: 0, pid: 7, role: 'server', step: 6, syscall: 'shmat', phase: 'return', fd: null, bytes: null, result: 0, errno: null, data: null, text: '' };

describe('a process node\'s last call for shared memory', () => {
  it('shows the address shmat returned (from the engine\'s text), not its numeric 0', () => {
    expect(eventShort({ ...base, text: 'shmat(65581, NULL, 0) = 0x7f757cab4000' }, t)).toBe('shmat() = 0x7f757cab4000');
    expect(eventShort({ ...base, syscall: 'ftok', result: 1090538050, text: 'ftok("/tmp/x", 0x41) = 0x41004a42' }, t)).toBe('ftok() = 0x41004a42');
    expect(eventShort({ ...base, syscall: 'shmdt', text: 'shmdt(0x7f757cab4000) = 0' }, t)).toBe('shmdt() = 0');
  });
});

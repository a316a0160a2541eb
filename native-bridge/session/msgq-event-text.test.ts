import { describe, expect, it } from 'vitest';
import { callText } from './event-text';

describe('message-queue calls as the lesson\'s C writes them', () => {
  it('msgget, msgsnd (bytes, or a size the engine never sends), msgrcv by type, msgctl IPC_SET and IPC_RMID', () => {
    expect(callText('msgget', { key: 0x7100e2bd, perms: 0o600 })).toBe('msgget(0x7100e2bd, IPC_CREAT | 0600)');
    expect(callText('msgget', { key: 0x7100e2bd, create: false, perms: 0 })).toBe('msgget(0x7100e2bd, 0)');
    expect(callText('msgsnd', { msqid: 5, type: 2, data: Buffer.from('banana\0').toString('base64') })).toBe('msgsnd(5, {type 2, "banana\\u0000"}, 7, 0)');
    expect(callText('msgsnd', { msqid: 5, type: 4, size: 9000, fill: '.' })).toBe('msgsnd(5, {type 4, <9000 bytes>}, 9000, 0)');
    expect(callText('msgrcv', { msqid: 5, size: 64, type: -3, nowait: true })).toBe('msgrcv(5, &m, 64, -3, IPC_NOWAIT)');
    expect(callText('msgctl', { msqid: 5, qbytes: 40 })).toBe('msgctl(5, IPC_SET, {msg_qbytes 40})');
    expect(callText('msgctl', { msqid: 5, cmd: 'IPC_RMID' })).toBe('msgctl(5, IPC_RMID, NULL)');
    /* anything else is event-text's own */
    expect(callText('close', { fd: 3 })).toBe('close(3)');
  });
});

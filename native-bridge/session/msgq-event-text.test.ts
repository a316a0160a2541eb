import { describe, expect, it } from 'vitest';
import { callText } from './event-text';

describe('message-queue calls as the lesson\'s C writes them', () => {
  it('msgget, msgsnd (bytes, or a size the engine never sends), msgrcv by type, msgctl IPC_SET and IPC_RMID', () => {
    expect(callText('msgget', { key: 0x7100e2bd, perms: 0o600 })).toBe('msgget(0x7100e2bd, IPC_CREAT | 0600)');
    expect(callText('msgget', { key: 0x7100e2bd, create: false, perms: 0 })).toBe('msgget(0x7100e2bd, 0)');
    expect(callText('msgsnd', { msqid: 5, type: 2, data: Buffer.from('banana\0').toString('base64') })).toBe('msgsnd(5, {type 2, "banana\\0"}, 7, 0)');
    expect(callText('msgsnd', { msqid: 5, type: 4, size: 9000, fill: '.' })).toBe('msgsnd(5, {type 4, <9000 bytes>}, 9000, 0)');
    expect(callText('msgrcv', { msqid: 5, size: 64, type: -3, nowait: true })).toBe('msgrcv(5, &m, 64, -3, IPC_NOWAIT)');
    expect(callText('msgctl', { msqid: 5, qbytes: 40 })).toBe('msgctl(5, IPC_SET, {msg_qbytes 40})');
    expect(callText('msgctl', { msqid: 5, cmd: 'IPC_RMID' })).toBe('msgctl(5, IPC_RMID, NULL)');
    expect(callText('mq_open', { name: '/q', access: 'w', maxMessages: 4, messageSize: 64 })).toBe('mq_open("/q", O_CREAT | O_WRONLY | O_CLOEXEC, 0600, {mq_maxmsg 4, mq_msgsize 64})');
    expect(callText('mq_open', { name: '/q', access: 'r', create: false })).toBe('mq_open("/q", O_RDONLY | O_CLOEXEC)');
    expect(callText('mq_send', { fd: 20, data: Buffer.from('low\0').toString('base64'), priority: 1 })).toBe('mq_send(20, "low\\0", 4, 1)');
    expect(callText('mq_receive', { fd: 21, size: 64 })).toBe('mq_receive(21, buf, 64, &prio)');
    expect(callText('mq_unlink', { name: '/q' })).toBe('mq_unlink("/q")');
    expect(callText('mount', { path: '/tmp/ipcscope-lesson-x/mqueue' })).toBe('mount("mqueue", "/tmp/ipcscope-lesson-x/mqueue", "mqueue", 0, NULL)');
    expect(callText('mount', {})).toBe('mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)');
    /* anything else is event-text's own */
    expect(callText('close', { fd: 3 })).toBe('close(3)');
  });
});

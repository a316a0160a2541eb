import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { MsgQueueObject } from '../../../model/snapshot-types';
import { IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, SYS_MSGRCV, encodeMsgbuf, msgStat, sysv } from '../../../libc/sysv';
import { check } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild, waitForLine, waitForSyscall, wchanOf } from '../../testing/ipc-test-children';
import { blockedSysvObject } from '../../blocked/sysv-blocked';
import { sysvMsgProbe } from './sysv-msg';

/* ipcs -q: key msqid owner perms used-bytes messages */
function ipcsMsg(msqid: number): { bytes: number; messages: number } | null {
  const out = execFileSync('ipcs', ['-q'], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === String(msqid)) return { bytes: Number(f[4]), messages: Number(f[5]) };
  }
  return null;
}

function probeMsg(pids: number[], msqid: number): MsgQueueObject | undefined {
  return sysvMsgProbe.collect(buildTestContext(pids)).objects.find((o): o is MsgQueueObject => o.id === `msg:${msqid}`);
}

function send(msqid: number, type: number, text: string): void {
  const msg = encodeMsgbuf(type, Buffer.from(text));
  check('msgsnd', sysv.msgsnd(msqid, msg, msg.length - 8, IPC_NOWAIT));
}

describe('sysvMsgProbe', () => {
  const created: number[] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const id of created.splice(0)) sysv.msgctl(id, IPC_RMID, null);
  });

  it('counts a 3-message queue as ipcs -q does and copies the first messages without removing them', () => {
    const msqid = check('msgget', sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600));
    created.push(msqid);
    send(msqid, 7, 'first');
    send(msqid, 2, 'second message');
    send(msqid, 9, 'x'.repeat(300));

    const obj = probeMsg([process.pid], msqid)!;
    const ipcs = ipcsMsg(msqid)!;
    expect(ipcs).toEqual({ bytes: 5 + 14 + 300, messages: 3 });
    expect(obj).toMatchObject({ messages: ipcs.messages, bytes: ipcs.bytes, lastSender: process.pid, lastReceiver: 0 });
    expect(obj.maxBytes).toBe(msgStat(msqid).qbytes);
    expect(obj.firstMessages?.map((m) => [m.type, m.bytes])).toEqual([
      [7, 5],
      [2, 14],
      [9, 300],
    ]);
    expect(Buffer.from(obj.firstMessages![1]!.peek, 'base64').toString()).toBe('second message');
    /* a peek is capped at 256 bytes */
    expect(Buffer.from(obj.firstMessages![2]!.peek, 'base64').length).toBe(256);

    /* observer effect: MSG_COPY removed nothing and did not make the probe the last receiver */
    const after = msgStat(msqid);
    expect(after).toMatchObject({ qnum: 3, cbytes: 319, lrpid: 0, rtime: 0 });
    const received: [number, string][] = [];
    const buf = new Uint8Array(8 + 512);
    for (let i = 0; i < 3; i++) {
      const n = check('msgrcv', sysv.msgrcv(msqid, buf, 512, 0, IPC_NOWAIT));
      received.push([Number(new DataView(buf.buffer).getBigInt64(0, true)), Buffer.from(buf.subarray(8, 8 + n)).toString()]);
    }
    expect(received).toEqual([
      [7, 'first'],
      [2, 'second message'],
      [9, 'x'.repeat(300)],
    ]);
    expect(ipcsMsg(msqid)).toEqual({ bytes: 0, messages: 0 });
  });

  it('finds a process blocked in msgrcv on an empty queue', async () => {
    const msqid = check('msgget', sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600));
    created.push(msqid);
    const reader = await spawnScript(`
      const msgrcv = lib.func('long msgrcv(int id, _Out_ uint8_t *msgp, size_t size, long type, int flags)');
      console.log('ready');
      const buf = new Uint8Array(64);
      const n = msgrcv(${msqid}, buf, 56, 0, 0);
      console.log('got', n);
      keepAlive();
    `);
    children.push(reader);
    const line = await waitForSyscall(reader.pid, [SYS_MSGRCV]);
    expect(wchanOf(reader.pid)).toBe('do_msgrcv');

    /* scoped to the reader alone: the queue is in because the reader waits on it */
    const obj = probeMsg([reader.pid], msqid)!;
    expect(obj).toMatchObject({ messages: 0, waitingReceivers: [reader.pid], waitingSenders: [] });
    const args = line.split(' ').slice(1).map((a) => BigInt(a));
    expect(blockedSysvObject(SYS_MSGRCV, args)).toMatchObject({ op: 'msgrcv', object: `msg:${msqid}` });

    send(msqid, 1, 'wake');
    expect(await waitForLine(reader, 'got')).toBe('got 4');
    const released = probeMsg([reader.pid], msqid)!;
    expect(released).toMatchObject({ messages: 0, waitingReceivers: [], lastReceiver: reader.pid });
  });
});

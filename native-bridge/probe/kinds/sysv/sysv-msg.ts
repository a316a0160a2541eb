/**
 * System V message queues: the list from /proc/sysvipc/msg, the first
 * messages copied without removing them (msgrcv MSG_COPY|IPC_NOWAIT, index
 * 0-based, ENOMSG past the end: KERNEL-FACTS), and who is blocked in
 * msgsnd (69) / msgrcv (70) on each queue (arg0 = msqid).
 * MSG_COPY does not update the queue's lrpid or rtime (ipc/msg.c returns
 * before the bookkeeping), so peeking changes nothing the kernel reports.
 */
import type { MsgQueueObject } from '../../../model/snapshot-types';
import { type MsqidDs, copyMessage, msgStat } from '../../../libc/sysv';
import { MAX_PEEK_BYTES, type KindProbe, type KindProbeResult, type ProbeContext } from '../../probe-types';
import { sysvWaitersByObject } from '../../blocked/sysv-blocked';
import { col, readSysvTable } from './sysvipc-table';
import { ownerNameOf } from '../../process/user-names';

const MAX_COPIED_MESSAGES = 8;

type FirstMessage = NonNullable<MsgQueueObject['firstMessages']>[number];

/** Copies the first `count` messages (type, size, up to `peekBytes` of text as base64). */
function copyFirstMessages(msqid: number, count: number, peekBytes: number, stat: MsqidDs): FirstMessage[] {
  /* a buffer the size of the whole queue holds any single message, so none is truncated */
  const bufSize = Math.max(stat.qbytes, stat.cbytes, 1);
  const out: FirstMessage[] = [];
  for (let i = 0; i < count; i++) {
    const m = copyMessage(msqid, i, bufSize, Math.min(peekBytes, MAX_PEEK_BYTES));
    if (!m) break;
    out.push({ type: m.type, bytes: m.bytes, peek: Buffer.from(m.text).toString('base64') });
  }
  return out;
}

/**
 * The msgtyp each waiting receiver asked for: msgrcv(msqid, msgp, msgsz,
 * msgtyp, msgflg), so arg3 of /proc/PID/syscall, a signed long. Lets the
 * picture say "waits for type 2" while other types sit in the queue.
 */
function receiverTypesOf(ctx: ProbeContext, pids: number[]): Record<string, number> | undefined {
  const types: Record<string, number> = {};
  for (const pid of pids) {
    const arg = ctx.processes.get(pid)?.syscallArgs[3];
    if (arg !== undefined) types[String(pid)] = Number(BigInt.asIntN(64, arg));
  }
  return Object.keys(types).length > 0 ? types : undefined;
}

function collect(ctx: ProbeContext): KindProbeResult {
  const rows = (ctx.readSysvTable ?? readSysvTable)('msg');
  // no queue on the machine (the usual watch tick): no waiters to look for
  if (rows.length === 0) return { objects: [], targets: new Map() };
  const objects: MsgQueueObject[] = [];
  const blocked = sysvWaitersByObject(ctx.processes.values());
  for (const row of rows) {
    const msqid = col(row, 'msqid');
    const lspid = col(row, 'lspid');
    const lrpid = col(row, 'lrpid');
    const waiters = blocked.get(`msg:${msqid}`);
    const waitingSenders = waiters?.msgsnd ?? [];
    const waitingReceivers = waiters?.msgrcv ?? [];
    const inScope =
      ctx.wholeMachine || ctx.processes.has(lspid) || ctx.processes.has(lrpid) || waitingSenders.length > 0 || waitingReceivers.length > 0;
    if (!inScope) continue;
    const messages = col(row, 'qnum');
    const bytes = col(row, 'cbytes');
    let maxBytes: number | null = null;
    let firstMessages: FirstMessage[] | undefined;
    try {
      /* qbytes is not in /proc/sysvipc/msg; IPC_STAT needs read permission */
      const stat = msgStat(msqid);
      maxBytes = stat.qbytes;
      if (ctx.options.peekBytes > 0 && messages > 0) firstMessages = copyFirstMessages(msqid, MAX_COPIED_MESSAGES, ctx.options.peekBytes, stat);
    } catch {
      /* EACCES (another user's queue) or EIDRM (removed meanwhile): leave unknown */
    }
    const receiverTypes = receiverTypesOf(ctx, waitingReceivers);
    objects.push({
      id: `msg:${msqid}`,
      kind: 'msg',
      holders: [],
      msqid,
      key: col(row, 'key') >>> 0,
      messages,
      bytes,
      queued: bytes,
      maxBytes: maxBytes ?? 0,
      owner: col(row, 'uid'),
      ...ownerNameOf(col(row, 'uid')),
      mode: col(row, 'perms') & 0o777,
      lastSender: lspid,
      lastReceiver: lrpid,
      ...(firstMessages ? { firstMessages, peek: firstMessages[0]?.peek ?? null } : {}),
      waitingSenders,
      waitingReceivers,
      ...(receiverTypes ? { receiverTypes } : {}),
    });
  }
  return { objects, targets: new Map() };
}

export const sysvMsgProbe: KindProbe = { name: 'sysv-msg', sysvTable: 'msg', changedThrough: 'any process', collect };

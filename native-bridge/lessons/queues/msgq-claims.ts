/**
 * What the typed message-queue lesson asks and claims, judged from the
 * kernel: /proc/sysvipc/msg (what `ipcs -q` prints), msgctl(IPC_STAT) for
 * msg_qbytes, /proc/sys/kernel/msg{max,mnb} for the limits, and
 * /proc/PID/{wchan,syscall} for who sleeps (do_msgrcv 70, do_msgsnd 69).
 */
import { readFileSync } from 'node:fs';
import { msgStat } from '../../libc/sysv';
import { parseSysvTable, type SysvRow } from '../../probe/kinds/sysv/sysvipc-table';
import type { KernelWait } from '../../actor/kernel-wait';
import type { LessonClaim, LessonQuestion, SettledStep } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { text } from '../step-kit';

/* x86_64 syscall numbers (KERNEL-FACTS "Who is blocked") */
const SYS_MSGSND = 69;
const SYS_MSGRCV = 70;

/** Bytes of the message the sender tries past msgmax (msg_sender.c's big.text). */
export const MSG_TOO_BIG = 9000;

/** The queue's row of /proc/sysvipc/msg (what `ipcs -q` prints), or null once it is gone. */
export function msgRow(msqid: number): SysvRow | null {
  return parseSysvTable(readFileSync('/proc/sysvipc/msg', 'utf8')).find((row) => row.msqid === msqid) ?? null;
}

/** A kernel limit from /proc/sys/kernel (msgmax: bytes per message; msgmnb: default bytes per queue). */
export function kernelLimit(name: 'msgmax' | 'msgmnb'): number {
  return Number(readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim());
}

/** msg_qbytes through IPC_STAT (it is not a column of /proc/sysvipc/msg), null once the queue is gone. */
export function queueCapacity(msqid: number): number | null {
  try {
    return msgStat(msqid).qbytes;
  } catch {
    return null;
  }
}

const asleepIn = (wait: KernelWait | null, nr: number): boolean => wait !== null && (wait.state === 'S' || wait.state === 'D') && wait.syscallNr === nr;
const waitText = (wait: KernelWait | null): string => (wait === null ? 'gone' : wait.wchan ? `${wait.state}, wchan ${wait.wchan}` : `state ${wait.state}`);
const msqidOf = (settled: SettledStep): number => numberVar(settled.vars, 'msqid');

export const emptyQueueQuestion: LessonQuestion = {
  prompt: text(
    'The queue is empty and the receiver asks for a message of type 2. What happens?',
    '队列是空的，接收方要一条类型为 2 的消息。会发生什么？',
    '佇列是空的，接收方要一則類型為 2 的訊息。會發生什麼？',
  ),
  choices: [
    { id: 'sleeps', text: text('msgrcv sleeps until a type-2 message arrives', 'msgrcv 睡眠，直到类型 2 的消息到来', 'msgrcv 睡眠，直到類型 2 的訊息到來') },
    { id: 'enomsg', text: text('msgrcv returns -1 at once (ENOMSG)', 'msgrcv 立即返回 -1（ENOMSG）', 'msgrcv 立即回傳 -1（ENOMSG）') },
  ],
  judge(settled) {
    const wait = settled.wait('receiver');
    const asleep = settled.status === 'blocked' && asleepIn(wait, SYS_MSGRCV);
    return {
      correct: asleep ? 'sleeps' : 'enomsg',
      evidence: text(
        `/proc/PID/wchan of the receiver: ${waitText(wait)}; /proc/PID/syscall: ${wait?.syscallNr ?? '?'} (70 is msgrcv). Without IPC_NOWAIT, msgrcv waits; ENOMSG is the IPC_NOWAIT answer.`,
        `接收方的 /proc/PID/wchan：${waitText(wait)}；/proc/PID/syscall：${wait?.syscallNr ?? '?'}（70 是 msgrcv）。不带 IPC_NOWAIT 时 msgrcv 会等待；ENOMSG 是带 IPC_NOWAIT 时的回答。`,
        `接收方的 /proc/PID/wchan：${waitText(wait)}；/proc/PID/syscall：${wait?.syscallNr ?? '?'}（70 是 msgrcv）。不帶 IPC_NOWAIT 時 msgrcv 會等待；ENOMSG 是帶 IPC_NOWAIT 時的回答。`,
      ),
    };
  },
};

export const wrongTypeQuestion: LessonQuestion = {
  prompt: text(
    'The sender puts a message of type 1 on the queue. Does the receiver, waiting for type 2, wake up?',
    '发送方放入一条类型 1 的消息。等待类型 2 的接收方会醒来吗？',
    '發送方放入一則類型 1 的訊息。等待類型 2 的接收方會醒來嗎？',
  ),
  choices: [
    { id: 'stays', text: text('No: it stays asleep, the message stays queued', '不会：它继续睡眠，消息留在队列里', '不會：它繼續睡眠，訊息留在佇列裡') },
    { id: 'wakes', text: text('Yes: it takes the type-1 message', '会：它取走类型 1 的消息', '會：它取走類型 1 的訊息') },
  ],
  judge(settled) {
    const wait = settled.wait('receiver');
    const row = msgRow(msqidOf(settled));
    return {
      correct: asleepIn(wait, SYS_MSGRCV) ? 'stays' : 'wakes',
      evidence: text(
        `The receiver: ${waitText(wait)}. /proc/sysvipc/msg: qnum ${row?.qnum ?? '?'}, cbytes ${row?.cbytes ?? '?'}. The kernel woke it, saw no type 2 and put it back to sleep.`,
        `接收方：${waitText(wait)}。/proc/sysvipc/msg：qnum ${row?.qnum ?? '?'}，cbytes ${row?.cbytes ?? '?'}。内核唤醒它、发现没有类型 2，又让它继续睡眠。`,
        `接收方：${waitText(wait)}。/proc/sysvipc/msg：qnum ${row?.qnum ?? '?'}，cbytes ${row?.cbytes ?? '?'}。核心喚醒它、發現沒有類型 2，又讓它繼續睡眠。`,
      ),
    };
  },
};

export const typeZeroQuestion: LessonQuestion = {
  prompt: text(
    'The queue holds "apple" (type 1, sent first) and "cherry" (type 3). The receiver asks for type 0. Which does it get?',
    '队列里有 "apple"（类型 1，先发送）和 "cherry"（类型 3）。接收方要类型 0。它得到哪一条？',
    '佇列裡有 "apple"（類型 1，先傳送）和 "cherry"（類型 3）。接收方要類型 0。它得到哪一則？',
  ),
  choices: [
    { id: 'apple', text: text('"apple", the oldest', '"apple"，最早的那条', '"apple"，最早的那則') },
    { id: 'cherry', text: text('"cherry", the highest type', '"cherry"，类型最大的', '"cherry"，類型最大的') },
    { id: 'none', text: text('Nothing: no message has type 0', '什么也得不到：没有类型 0 的消息', '什麼也得不到：沒有類型 0 的訊息') },
  ],
  judge(settled) {
    const type = settled.reply?.data?.type;
    const got = typeof settled.reply?.data?.bytes === 'string' ? Buffer.from(settled.reply.data.bytes, 'base64').toString('latin1').replace(/\0+$/, '') : '';
    const correct = got === 'apple' ? 'apple' : got === 'cherry' ? 'cherry' : 'none';
    return {
      correct,
      evidence: text(
        `msgrcv returned ${settled.reply?.result ?? '?'} bytes: "${got}", type ${String(type)}. Type 0 means "the first message in the queue", whatever its type.`,
        `msgrcv 返回 ${settled.reply?.result ?? '?'} 字节："${got}"，类型 ${String(type)}。类型 0 的意思是"队列里的第一条消息"，不论类型。`,
        `msgrcv 回傳 ${settled.reply?.result ?? '?'} 位元組："${got}"，類型 ${String(type)}。類型 0 的意思是「佇列裡的第一則訊息」，不論類型。`,
      ),
    };
  },
};

export const fullQueueQuestion: LessonQuestion = {
  prompt: text(
    'msg_qbytes is now 40 and "cherry" (7 bytes) is still queued. The sender sends 36 bytes. What happens?',
    'msg_qbytes 现在是 40，队列里还有 "cherry"（7 字节）。发送方发送 36 字节。会发生什么？',
    'msg_qbytes 現在是 40，佇列裡還有 "cherry"（7 位元組）。發送方傳送 36 位元組。會發生什麼？',
  ),
  choices: [
    { id: 'sleeps', text: text('msgsnd sleeps until there is room', 'msgsnd 睡眠，直到有空间', 'msgsnd 睡眠，直到有空間') },
    { id: 'sent', text: text('It is queued anyway', '照样进入队列', '照樣進入佇列') },
    { id: 'eagain', text: text('-1 with EAGAIN', '-1，EAGAIN', '-1，EAGAIN') },
  ],
  judge(settled) {
    const wait = settled.wait('sender');
    const msqid = msqidOf(settled);
    const row = msgRow(msqid);
    const asleep = settled.status === 'blocked' && asleepIn(wait, SYS_MSGSND);
    return {
      correct: asleep ? 'sleeps' : settled.reply?.errno === 'EAGAIN' ? 'eagain' : 'sent',
      evidence: text(
        `The sender: ${waitText(wait)}; the queue holds ${row?.cbytes ?? '?'} of ${queueCapacity(msqid) ?? '?'} bytes, and 36 more do not fit. EAGAIN would need IPC_NOWAIT.`,
        `发送方：${waitText(wait)}；队列已有 ${row?.cbytes ?? '?'} / ${queueCapacity(msqid) ?? '?'} 字节，再放 36 字节放不下。要得到 EAGAIN 得用 IPC_NOWAIT。`,
        `發送方：${waitText(wait)}；佇列已有 ${row?.cbytes ?? '?'} / ${queueCapacity(msqid) ?? '?'} 位元組，再放 36 位元組放不下。要得到 EAGAIN 得用 IPC_NOWAIT。`,
      ),
    };
  },
};

/** Polls (the woken sender needs a moment of CPU on a loaded machine) until the sender left do_msgsnd, or 20 s. */
async function senderAwake(settled: SettledStep): Promise<KernelWait | null> {
  const deadline = Date.now() + 20_000;
  let wait = settled.wait('sender');
  while (asleepIn(wait, SYS_MSGSND) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    wait = settled.wait('sender');
  }
  return wait;
}

export const removedQuestion: LessonQuestion = {
  prompt: text(
    'The receiver removes the queue (IPC_RMID) while the sender sleeps in msgsnd on it. What becomes of the sender?',
    '发送方还在 msgsnd 里睡眠，接收方删除了队列（IPC_RMID）。发送方会怎样？',
    '發送方還在 msgsnd 裡睡眠，接收方刪除了佇列（IPC_RMID）。發送方會怎樣？',
  ),
  choices: [
    { id: 'eidrm', text: text('It wakes: msgsnd returns -1, EIDRM', '它醒来：msgsnd 返回 -1，EIDRM', '它醒來：msgsnd 回傳 -1，EIDRM') },
    { id: 'sleeps', text: text('It sleeps forever', '它永远睡下去', '它永遠睡下去') },
  ],
  async judge(settled) {
    const msqid = msqidOf(settled);
    const wait = await senderAwake(settled);
    const gone = msgRow(msqid) === null;
    return {
      correct: asleepIn(wait, SYS_MSGSND) ? 'sleeps' : 'eidrm',
      evidence: text(
        `Queue ${msqid} is ${gone ? 'no longer in' : 'still in'} /proc/sysvipc/msg, and the sender is ${asleepIn(wait, SYS_MSGSND) ? 'still asleep in do_msgsnd' : 'out of do_msgsnd'}: the kernel wakes every sleeper of a removed queue, and its msgsnd fails with EIDRM.`,
        `队列 ${msqid} ${gone ? '已不在' : '仍在'} /proc/sysvipc/msg 中，发送方${asleepIn(wait, SYS_MSGSND) ? '仍睡在 do_msgsnd 里' : '已离开 do_msgsnd'}：内核会唤醒被删除队列上的所有睡眠者，它的 msgsnd 以 EIDRM 失败。`,
        `佇列 ${msqid} ${gone ? '已不在' : '仍在'} /proc/sysvipc/msg 中，發送方${asleepIn(wait, SYS_MSGSND) ? '仍睡在 do_msgsnd 裡' : '已離開 do_msgsnd'}：核心會喚醒被刪除佇列上的所有睡眠者，它的 msgsnd 以 EIDRM 失敗。`,
      ),
    };
  },
};

export const queueCapacityClaim: LessonClaim = {
  id: 'msg-queue-capacity',
  claim: text(
    'The course says a queue holds a limited number of bytes, set by the system (msgmnb), not a number of messages.',
    '课程说一个队列能容纳的字节数有限，由系统设定（msgmnb），而不是按消息条数计算。',
    '課程說一個佇列能容納的位元組數有限，由系統設定（msgmnb），而不是按訊息則數計算。',
  ),
  after: 'create',
  measure(settled) {
    const msgmnb = kernelLimit('msgmnb');
    const qbytes = queueCapacity(msqidOf(settled)) ?? -1;
    return {
      holds: qbytes === msgmnb ? 'holds' : 'differs',
      measured: { msg_qbytes: qbytes, '/proc/sys/kernel/msgmnb': msgmnb },
      text: text(
        `IPC_STAT of the new queue gives msg_qbytes ${qbytes}, the value of /proc/sys/kernel/msgmnb (${msgmnb}). The owner may lower it with IPC_SET (this lesson does); raising it past msgmnb needs CAP_SYS_RESOURCE.`,
        `新队列的 IPC_STAT 给出 msg_qbytes ${qbytes}，等于 /proc/sys/kernel/msgmnb（${msgmnb}）。所有者可以用 IPC_SET 调低（本课会这样做）；要调到 msgmnb 以上需要 CAP_SYS_RESOURCE。`,
        `新佇列的 IPC_STAT 給出 msg_qbytes ${qbytes}，等於 /proc/sys/kernel/msgmnb（${msgmnb}）。擁有者可以用 IPC_SET 調低（本課會這樣做）；要調到 msgmnb 以上需要 CAP_SYS_RESOURCE。`,
      ),
    };
  },
};

export const receiveByTypeClaim: LessonClaim = {
  id: 'msg-receive-by-type',
  claim: text(
    'The course says msgrcv with a positive type takes the first message of exactly that type, passing over older messages of other types.',
    '课程说 msgrcv 的类型为正数时，取走的是该类型的第一条消息，会越过更早的其他类型消息。',
    '課程說 msgrcv 的類型為正數時，取走的是該類型的第一則訊息，會越過更早的其他類型訊息。',
  ),
  after: 'take-oldest',
  measure(settled) {
    const first = settled.vars.firstType;
    const second = settled.vars.secondType;
    const row = msgRow(msqidOf(settled));
    return {
      holds: first === 2 && second === 1 ? 'holds' : 'differs',
      measured: { 'sent in order': '1, 3, 2', 'msgrcv(type 2) got': String(first), 'msgrcv(type 0) got': String(second), 'qnum left': row?.qnum ?? -1 },
      text: text(
        `Sent: types 1, 3, 2. msgrcv(…, 2, 0) got type ${String(first)} although types 1 and 3 were older; msgrcv(…, 0, 0) then got type ${String(second)}, the oldest left. /proc/sysvipc/msg still counts ${row?.qnum ?? '?'} message(s).`,
        `发送顺序：类型 1、3、2。msgrcv(…, 2, 0) 得到类型 ${String(first)}，尽管类型 1 和 3 更早；接着 msgrcv(…, 0, 0) 得到类型 ${String(second)}，即剩下最早的一条。/proc/sysvipc/msg 仍记有 ${row?.qnum ?? '?'} 条消息。`,
        `傳送順序：類型 1、3、2。msgrcv(…, 2, 0) 得到類型 ${String(first)}，儘管類型 1 和 3 更早；接著 msgrcv(…, 0, 0) 得到類型 ${String(second)}，即剩下最早的一則。/proc/sysvipc/msg 仍記有 ${row?.qnum ?? '?'} 則訊息。`,
      ),
    };
  },
};

/** The kernel limit hit on screen: a 9000-byte message against msgmax, read from /proc/sys/kernel/msgmax in this run. */
export const msgmaxClaim: LessonClaim = {
  id: 'msg-msgmax',
  claim: text(
    'The course says one message can be at most msgmax bytes (8192 by default); a bigger one is refused, not split.',
    '课程说一条消息最多 msgmax 字节（默认 8192）；更大的会被拒绝，而不是被拆开。',
    '課程說一則訊息最多 msgmax 位元組（預設 8192）；更大的會被拒絕，而不是被拆開。',
  ),
  after: 'too-big',
  measure(settled) {
    const msgmax = kernelLimit('msgmax');
    const errno = settled.reply?.errno ?? null;
    const refused = settled.reply?.result === -1 && errno === 'EINVAL';
    return {
      holds: refused && MSG_TOO_BIG > msgmax ? 'holds' : 'differs',
      measured: { 'message size': MSG_TOO_BIG, msgmax, msgsnd: refused ? '-1 EINVAL' : String(settled.reply?.result) },
      text: text(
        `Limit msgmax = ${msgmax} bytes (/proc/sys/kernel/msgmax). The ${MSG_TOO_BIG}-byte message got -1 ${errno ?? ''}: the kernel checks the size before looking at the queue, so even an empty queue would refuse it. A program that must send more splits the data itself.`,
        `限制 msgmax = ${msgmax} 字节（/proc/sys/kernel/msgmax）。${MSG_TOO_BIG} 字节的消息得到 -1 ${errno ?? ''}：内核先检查大小，再看队列，所以即使队列是空的也会拒绝。要发送更多数据的程序得自己拆分。`,
        `限制 msgmax = ${msgmax} 位元組（/proc/sys/kernel/msgmax）。${MSG_TOO_BIG} 位元組的訊息得到 -1 ${errno ?? ''}：核心先檢查大小，再看佇列，所以即使佇列是空的也會拒絕。要傳送更多資料的程式得自己拆分。`,
      ),
    };
  },
};

/**
 * "Typed messages on a System V queue": two programs the engine starts
 * separately find one queue through ftok's key. The receiver asks for type 2
 * on an empty queue and sleeps in do_msgrcv; types 1 and 3 arrive without
 * waking it, type 2 does; type 0 then takes the oldest left. A 9000-byte
 * message hits msgmax (EINVAL); with msg_qbytes lowered to 40 (IPC_SET) a
 * 36-byte msgsnd sleeps in do_msgsnd until a msgrcv makes room; the next
 * one sleeps until IPC_RMID wakes it with EIDRM.
 * The msqid is recorded in the lesson's directory, so a lesson stopped
 * half-way or an engine killed still removes the queue
 * (session/lesson-msgq-record.ts).
 */
import { forgetMsg, recordMsg } from '../../session/lesson-msgq-record';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import {
  emptyQueueQuestion,
  fullQueueQuestion,
  msgmaxClaim,
  MSG_TOO_BIG,
  queueCapacityClaim,
  receiveByTypeClaim,
  removedQuestion,
  typeZeroQuestion,
  wrongTypeQuestion,
} from './msgq-claims';
import { msgReceiverC, msgSenderC } from '../programs/msgq-typed/msgq-programs';
import { exitWith, text } from '../step-kit';
import { freshKeyArgs, ftokPath, keyTakenNote, saveFreshKey, withCollisionNote } from '../sysv-fresh-key';

export { kernelLimit, msgRow, queueCapacity, MSG_TOO_BIG } from './msgq-claims';

const receiver = (needle: string, nth = 1) => ({ program: msgReceiverC.file, line: msgReceiverC.line(needle, nth) });
const sender = (needle: string, nth = 1) => ({ program: msgSenderC.file, line: msgSenderC.line(needle, nth) });

/* 'q' */
const PROJ_ID = 0x71;
/* the capacity the receiver sets with IPC_SET, and the message that then does not fit beside "cherry" (7 bytes) */
export const SMALL_QBYTES = 40;
export const BLOCKED_SIZE = 36;

/* the sender's ftok follows the directory the receiver's create ended up with (sysv-fresh-key.ts) */
const ftokArgs = (v: LessonVars) => ({ path: ftokPath(v), projId: PROJ_ID });
const saveNumber = (name: string) => (reply: { result: number }, vars: LessonVars) => {
  if (reply.result !== -1) vars[name] = reply.result;
};
const saveType = (name: string) => (reply: { data?: Record<string, unknown> }, vars: LessonVars) => {
  if (typeof reply.data?.type === 'number') vars[name] = reply.data.type;
};
/* the C program sends strlen + 1: the terminating NUL travels too */
const send = (msqidVar: string, type: number, word: string) => (v: LessonVars) => ({
  msqid: numberVar(v, msqidVar),
  type,
  data: Buffer.from(`${word}\0`).toString('base64'),
});

const steps: LessonStep[] = [
  {
    role: 'receiver',
    op: 'ftok',
    args: ftokArgs,
    save: saveNumber('key'),
    code: "key = ftok(path, 'q');",
    ...receiver('ftok('),
    explain: text(
      'The receiver turns the lesson\'s directory and the proj_id \'q\' into a key, a number the sender can compute too.',
      '接收方把本课的目录和 proj_id \'q\' 变成一个键值，发送方也能算出同一个数。',
      '接收方把本課的目錄和 proj_id \'q\' 變成一個鍵值，發送方也能算出同一個數。',
    ),
  },
  {
    id: 'create',
    role: 'receiver',
    op: 'msgget',
    /* IPC_EXCL: a key another program's queue holds must not be opened (and later removed) as ours */
    args: (v) => ({ key: numberVar(v, 'key'), excl: true, perms: 0o600, ...freshKeyArgs(v, PROJ_ID) }),
    save: (reply, vars) => {
      if (reply.result < 0) return;
      vars.msqid = reply.result;
      saveFreshKey(reply, vars, 'key');
      /* removed with the lesson's directory if the lesson stops before its IPC_RMID */
      recordMsg(stringVar(vars, 'dir'), reply.result);
    },
    code: 'msqid = msgget(key, IPC_CREAT | IPC_EXCL | 0600);',
    ...receiver('msgget('),
    failureNote: (reply) => keyTakenNote('msg', reply),
    explain: withCollisionNote(text(
      'msgget creates the queue. ipcs -q lists it: no messages, 0 bytes used. Its capacity (msg_qbytes) is drawn as the bar.',
      'msgget 创建队列。ipcs -q 列出了它：没有消息，已用 0 字节。它的容量（msg_qbytes）画成一条横条。',
      'msgget 建立佇列。ipcs -q 列出了它：沒有訊息，已用 0 位元組。它的容量（msg_qbytes）畫成一條橫條。',
    )),
  },
  {
    role: 'receiver',
    op: 'msgrcv',
    args: (v) => ({ msqid: numberVar(v, 'msqid'), size: 64, type: 2 }),
    save: saveType('firstType'),
    code: 'msgrcv(msqid, &m, sizeof m.text, 2, 0);',
    ...receiver('msgrcv(', 1),
    question: emptyQueueQuestion,
    explain: text(
      'The receiver asks for a message of type 2. There is none, so the kernel puts it to sleep in do_msgrcv: the picture draws it waiting at the queue\'s exit, with the type it wants.',
      '接收方要一条类型 2 的消息。没有，于是内核让它在 do_msgrcv 里睡眠：图中它在队列出口处等待，并标出它要的类型。',
      '接收方要一則類型 2 的訊息。沒有，於是核心讓它在 do_msgrcv 裡睡眠：圖中它在佇列出口處等待，並標出它要的類型。',
    ),
  },
  {
    role: 'sender',
    op: 'ftok',
    args: ftokArgs,
    save: saveNumber('senderKey'),
    code: "key = ftok(path, 'q');",
    ...sender('ftok('),
    explain: text(
      'The sender, a separate program, computes the same key from the same path and proj_id.',
      '发送方是另一个程序，它用同一路径和 proj_id 算出同一个键值。',
      '發送方是另一個程式，它用同一路徑和 proj_id 算出同一個鍵值。',
    ),
  },
  {
    role: 'sender',
    op: 'msgget',
    args: (v) => ({ key: numberVar(v, 'senderKey'), create: false, perms: 0 }),
    save: saveNumber('senderMsqid'),
    code: 'msqid = msgget(key, 0);',
    ...sender('msgget('),
    explain: text(
      'Without IPC_CREAT, msgget only looks the key up: the sender gets the receiver\'s msqid.',
      '不带 IPC_CREAT 时，msgget 只按键值查找：发送方得到接收方的 msqid。',
      '不帶 IPC_CREAT 時，msgget 只按鍵值查找：發送方得到接收方的 msqid。',
    ),
  },
  {
    role: 'sender',
    op: 'msgsnd',
    args: send('senderMsqid', 1, 'apple'),
    code: 'msgsnd(msqid, &m, 6, 0);',
    ...sender('msgsnd(', 1),
    question: wrongTypeQuestion,
    explain: text(
      '"apple", type 1, joins the queue. The receiver wants type 2: it stays asleep, and the message waits in the queue.',
      '"apple"（类型 1）进入队列。接收方要的是类型 2：它继续睡眠，消息留在队列里等待。',
      '"apple"（類型 1）進入佇列。接收方要的是類型 2：它繼續睡眠，訊息留在佇列裡等待。',
    ),
  },
  {
    role: 'sender',
    op: 'msgsnd',
    args: send('senderMsqid', 3, 'cherry'),
    code: 'msgsnd(msqid, &m, 7, 0);',
    ...sender('msgsnd(', 2),
    explain: text(
      '"cherry", type 3, queues behind it. Two messages, 13 bytes: still nothing for the receiver.',
      '"cherry"（类型 3）排在后面。两条消息，13 字节：仍然没有接收方要的。',
      '"cherry"（類型 3）排在後面。兩則訊息，13 位元組：仍然沒有接收方要的。',
    ),
  },
  {
    id: 'send-type-2',
    role: 'sender',
    op: 'msgsnd',
    args: send('senderMsqid', 2, 'banana'),
    code: 'msgsnd(msqid, &m, 7, 0);',
    ...sender('msgsnd(', 3),
    explain: text(
      '"banana", type 2: the kernel hands it straight to the sleeping receiver, past the two older messages. Its msgrcv returns 7.',
      '"banana"（类型 2）：内核越过两条更早的消息，直接把它交给睡眠中的接收方。它的 msgrcv 返回 7。',
      '"banana"（類型 2）：核心越過兩則更早的訊息，直接把它交給睡眠中的接收方。它的 msgrcv 回傳 7。',
    ),
  },
  {
    id: 'take-oldest',
    role: 'receiver',
    op: 'msgrcv',
    args: (v) => ({ msqid: numberVar(v, 'msqid'), size: 64, type: 0 }),
    save: saveType('secondType'),
    code: 'msgrcv(msqid, &m, sizeof m.text, 0, 0);',
    ...receiver('msgrcv(', 2),
    question: typeZeroQuestion,
    explain: text(
      'Type 0 means "whatever is first": the receiver gets "apple". "cherry" stays queued.',
      '类型 0 的意思是"排在最前面的"：接收方得到 "apple"。"cherry" 留在队列里。',
      '類型 0 的意思是「排在最前面的」：接收方得到 "apple"。"cherry" 留在佇列裡。',
    ),
  },
  {
    id: 'too-big',
    role: 'sender',
    op: 'msgsnd-sized',
    syscall: 'msgsnd',
    args: (v) => ({ msqid: numberVar(v, 'senderMsqid'), type: 4, size: MSG_TOO_BIG, fill: '.' }),
    code: 'msgsnd(msqid, &big, sizeof big.text, 0)',
    ...sender('msgsnd(msqid, &big'),
    expectFailure: true,
    explain: text(
      `A ${MSG_TOO_BIG}-byte message: larger than msgmax, the kernel's limit for one message. msgsnd fails with EINVAL, and nothing enters the queue.`,
      `一条 ${MSG_TOO_BIG} 字节的消息：超过了内核对单条消息的限制 msgmax。msgsnd 以 EINVAL 失败，队列里什么也没进来。`,
      `一則 ${MSG_TOO_BIG} 位元組的訊息：超過了核心對單則訊息的限制 msgmax。msgsnd 以 EINVAL 失敗，佇列裡什麼也沒進來。`,
    ),
  },
  {
    id: 'shrink',
    role: 'receiver',
    op: 'msgctl-qbytes',
    syscall: 'msgctl',
    args: (v) => ({ msqid: numberVar(v, 'msqid'), qbytes: SMALL_QBYTES }),
    code: 'msgctl(msqid, IPC_SET, &ds);',
    ...receiver('IPC_SET'),
    explain: text(
      `The receiver, the queue's owner, lowers msg_qbytes to ${SMALL_QBYTES} bytes with IPC_SET: the capacity bar shrinks, and "cherry" already uses 7 of them.`,
      `接收方是队列的所有者，它用 IPC_SET 把 msg_qbytes 调低到 ${SMALL_QBYTES} 字节：容量条变短，"cherry" 已占了其中 7 字节。`,
      `接收方是佇列的擁有者，它用 IPC_SET 把 msg_qbytes 調低到 ${SMALL_QBYTES} 位元組：容量條變短，"cherry" 已佔了其中 7 位元組。`,
    ),
  },
  {
    role: 'sender',
    op: 'msgsnd-sized',
    syscall: 'msgsnd',
    args: (v) => ({ msqid: numberVar(v, 'senderMsqid'), type: 4, size: BLOCKED_SIZE, fill: '#' }),
    code: `msgsnd(msqid, &m, ${BLOCKED_SIZE}, 0);`,
    ...sender(`msgsnd(msqid, &m, ${BLOCKED_SIZE}`),
    question: fullQueueQuestion,
    explain: text(
      `7 + ${BLOCKED_SIZE} bytes would exceed ${SMALL_QBYTES}: the sender sleeps in do_msgsnd, drawn waiting at the queue's entrance, until a receiver makes room.`,
      `7 + ${BLOCKED_SIZE} 字节会超过 ${SMALL_QBYTES}：发送方在 do_msgsnd 里睡眠，图中它在队列入口处等待，直到有接收方腾出空间。`,
      `7 + ${BLOCKED_SIZE} 位元組會超過 ${SMALL_QBYTES}：發送方在 do_msgsnd 裡睡眠，圖中它在佇列入口處等待，直到有接收方騰出空間。`,
    ),
  },
  {
    id: 'make-room',
    role: 'receiver',
    op: 'msgrcv',
    args: (v) => ({ msqid: numberVar(v, 'msqid'), size: 64, type: 3 }),
    code: 'msgrcv(msqid, &m, sizeof m.text, 3, 0);',
    ...receiver('msgrcv(', 3),
    explain: text(
      `The receiver takes "cherry": the queue is empty, ${BLOCKED_SIZE} bytes fit, and the kernel wakes the sender, whose message goes in. The bar shows ${BLOCKED_SIZE} of ${SMALL_QBYTES} bytes.`,
      `接收方取走 "cherry"：队列空了，${BLOCKED_SIZE} 字节放得下，内核唤醒发送方，它的消息进入队列。容量条显示 ${BLOCKED_SIZE} / ${SMALL_QBYTES} 字节。`,
      `接收方取走 "cherry"：佇列空了，${BLOCKED_SIZE} 位元組放得下，核心喚醒發送方，它的訊息進入佇列。容量條顯示 ${BLOCKED_SIZE} / ${SMALL_QBYTES} 位元組。`,
    ),
  },
  {
    role: 'sender',
    op: 'msgsnd-sized',
    syscall: 'msgsnd',
    args: (v) => ({ msqid: numberVar(v, 'senderMsqid'), type: 4, size: BLOCKED_SIZE, fill: '#' }),
    expectFailure: true,
    code: `msgsnd(msqid, &m, ${BLOCKED_SIZE}, 0)`,
    ...sender(`msgsnd(msqid, &m, ${BLOCKED_SIZE}`, 2),
    explain: text(
      `The same ${BLOCKED_SIZE} bytes again: ${BLOCKED_SIZE} + ${BLOCKED_SIZE} > ${SMALL_QBYTES}, so the sender sleeps in do_msgsnd once more. Nobody will receive this time.`,
      `再发送同样的 ${BLOCKED_SIZE} 字节：${BLOCKED_SIZE} + ${BLOCKED_SIZE} > ${SMALL_QBYTES}，发送方再次在 do_msgsnd 里睡眠。这次没有人会来接收。`,
      `再傳送同樣的 ${BLOCKED_SIZE} 位元組：${BLOCKED_SIZE} + ${BLOCKED_SIZE} > ${SMALL_QBYTES}，發送方再次在 do_msgsnd 裡睡眠。這次沒有人會來接收。`,
    ),
  },
  {
    role: 'receiver',
    op: 'msgctl',
    args: (v) => ({ msqid: numberVar(v, 'msqid'), cmd: 'IPC_RMID' }),
    save: (reply, vars) => {
      if (reply.result === 0) forgetMsg(stringVar(vars, 'dir'), numberVar(vars, 'msqid'));
    },
    code: 'msgctl(msqid, IPC_RMID, NULL);',
    ...receiver('IPC_RMID'),
    question: removedQuestion,
    explain: text(
      'IPC_RMID removes the queue at once, with the first 36 bytes still in it. The sleeping sender wakes: its msgsnd returns -1 with EIDRM ("identifier removed").',
      'IPC_RMID 立即删除队列，先前的 36 字节还在里面。睡眠的发送方醒来：它的 msgsnd 返回 -1，errno 为 EIDRM（"标识符已删除"）。',
      'IPC_RMID 立即刪除佇列，先前的 36 位元組還在裡面。睡眠的發送方醒來：它的 msgsnd 回傳 -1，errno 為 EIDRM（「識別碼已刪除」）。',
    ),
  },
  {
    role: 'sender',
    op: 'exit',
    args: exitWith(2),
    code: 'exit(2);',
    ...sender('exit(2)'),
    explain: text('The sender saw EIDRM and exits.', '发送方看到 EIDRM，退出。', '發送方看到 EIDRM，結束。'),
  },
  {
    role: 'receiver',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...receiver('exit(0)'),
    explain: text('The receiver exits. ipcs -q shows nothing of the lesson.', '接收方退出。ipcs -q 里没有留下本课的任何东西。', '接收方結束。ipcs -q 裡沒有留下本課的任何東西。'),
  },
];

export const msgqTyped: Lesson = {
  id: 'msgq-typed',
  firstRole: 'receiver',
  alsoStarts: ['sender'],
  tempDir: true,
  mechanism: 'msg',
  programs: [msgReceiverC, msgSenderC],
  title: text('Typed messages on a System V queue', 'System V 消息队列：带类型的消息', 'System V 訊息佇列：帶類型的訊息'),
  summary: text(
    'A receiver that sleeps in msgrcv for type 2 while types 1 and 3 queue up, receive by type and type 0, a message past msgmax refused, a sender asleep on a queue made small with IPC_SET until a msgrcv makes room, and IPC_RMID waking a sleeping sender with EIDRM.',
    '接收方在 msgrcv 里等类型 2，类型 1 和 3 的消息先后排队；按类型接收与类型 0；超过 msgmax 的消息被拒绝；用 IPC_SET 调小的队列让发送方睡眠，直到 msgrcv 腾出空间；IPC_RMID 以 EIDRM 唤醒睡眠的发送方。',
    '接收方在 msgrcv 裡等類型 2，類型 1 和 3 的訊息先後排隊；按類型接收與類型 0；超過 msgmax 的訊息被拒絕；用 IPC_SET 調小的佇列讓發送方睡眠，直到 msgrcv 騰出空間；IPC_RMID 以 EIDRM 喚醒睡眠的發送方。',
  ),
  claims: [queueCapacityClaim, receiveByTypeClaim, msgmaxClaim],
  steps,
};

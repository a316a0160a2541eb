/**
 * "A POSIX message queue, by priority": the sender takes a mount table and
 * an IPC namespace of its own (unshare CLONE_NEWNS | CLONE_NEWIPC), makes
 * its mounts private and mounts the mqueue filesystem in the lesson's
 * directory, so the queue's QSIZE can be read (through /proc/PID/root) and
 * the queue cannot outlive the lesson's processes. Three messages go in
 * with priorities 1, 9, 5 and come out 9, 5, 1; 100 bytes hit mq_msgsize
 * (EMSGSIZE); a receive on the empty queue sleeps in wq_sleep until a send.
 * Without CAP_SYS_ADMIN the unshare fails with EPERM and the lesson says why
 * the queued bytes cannot be shown.
 */
import { forgetMq, recordMq } from '../../session/lesson-msgq-record';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { MQ_MAXMSG, MQ_MSGSIZE, MQ_TOO_BIG, mqEmptyQuestion, mqMsgsizeClaim, mqNameOf, mqNamespaceClaim, mqPriorityQuestion } from './msgq-posix-claims';
import { mqPriorityC } from '../programs/msgq-posix/mq-programs';
import { exitWith, saveResult, text } from '../step-kit';

export { MQ_MSGSIZE, MQ_TOO_BIG, mqNameOf, qsizeThroughSender } from './msgq-posix-claims';

const at = (needle: string, nth = 1) => ({ program: mqPriorityC.file, line: mqPriorityC.line(needle, nth) });

const mountDir = (v: LessonVars) => `${stringVar(v, 'dir')}/mqueue`;
const send = (word: string, priority: number) => (v: LessonVars) => ({ fd: numberVar(v, 'mq'), data: Buffer.from(`${word}\0`).toString('base64'), priority });
const receive = (v: LessonVars) => ({ fd: numberVar(v, 'in'), size: MQ_MSGSIZE });

const steps: LessonStep[] = [
  {
    id: 'unshare',
    role: 'sender',
    op: 'unshare-ipc-mounts',
    syscall: 'unshare',
    code: 'unshare(CLONE_NEWNS | CLONE_NEWIPC);',
    ...at('unshare('),
    /* without CAP_SYS_ADMIN: EPERM, and the lesson goes on in the machine's namespaces */
    expectFailure: true,
    explain: text(
      'The sender takes a mount table and an IPC namespace of its own. Its queue will exist only there: when the last process in it ends, the queue goes too, whatever happens to the lesson.',
      '发送方取得自己的挂载表和 IPC 命名空间。它的队列只存在于那里：命名空间里最后一个进程结束时，队列也随之消失，不论本课怎样结束。',
      '發送方取得自己的掛載表和 IPC 命名空間。它的佇列只存在於那裡：命名空間裡最後一個行程結束時，佇列也隨之消失，不論本課怎樣結束。',
    ),
  },
  {
    role: 'sender',
    op: 'mount-private',
    syscall: 'mount',
    code: 'mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);',
    ...at('MS_PRIVATE'),
    expectFailure: true,
    explain: text(
      'Private propagation: a mount made now stays in this mount table and never appears on the rest of the machine.',
      '私有传播：现在做的挂载只留在这张挂载表里，不会出现在机器的其他地方。',
      '私有傳播：現在做的掛載只留在這張掛載表裡，不會出現在機器的其他地方。',
    ),
  },
  {
    id: 'mount',
    role: 'sender',
    op: 'mount-mqueue',
    syscall: 'mount',
    args: (v) => ({ path: mountDir(v) }),
    code: 'mount("mqueue", dir, "mqueue", 0, NULL);',
    ...at('mount("mqueue"'),
    expectFailure: true,
    explain: text(
      '/dev/mqueue is not mounted on this machine, so the sender mounts the mqueue filesystem in the lesson\'s directory. Each queue becomes a file whose QSIZE line says how many bytes wait in it.',
      '这台机器没有挂载 /dev/mqueue，所以发送方把 mqueue 文件系统挂载到本课的目录。每个队列成为一个文件，其中的 QSIZE 一行说明有多少字节在等待。',
      '這台機器沒有掛載 /dev/mqueue，所以發送方把 mqueue 檔案系統掛載到本課的目錄。每個佇列成為一個檔案，其中的 QSIZE 一行說明有多少位元組在等待。',
    ),
  },
  {
    role: 'sender',
    op: 'mq_open',
    args: (v) => ({ name: mqNameOf(v), access: 'w', maxMessages: MQ_MAXMSG, messageSize: MQ_MSGSIZE }),
    save: (reply, vars) => {
      vars.mq = reply.result;
      /* unlinked with the lesson's directory if the lesson stops early and the queue is the machine's (unshare refused) */
      recordMq(stringVar(vars, 'dir'), mqNameOf(vars));
    },
    code: 'mq = mq_open(name, O_CREAT | O_WRONLY | O_CLOEXEC, 0600, &attr);',
    ...at('mq = mq_open('),
    explain: text(
      `mq_open creates the queue: at most ${MQ_MAXMSG} messages of at most ${MQ_MSGSIZE} bytes. The sender opens it for writing only.`,
      `mq_open 创建队列：最多 ${MQ_MAXMSG} 条消息，每条最多 ${MQ_MSGSIZE} 字节。发送方只以写方式打开它。`,
      `mq_open 建立佇列：最多 ${MQ_MAXMSG} 則訊息，每則最多 ${MQ_MSGSIZE} 位元組。發送方只以寫入方式開啟它。`,
    ),
  },
  {
    role: 'sender',
    op: 'mq_send',
    args: send('low', 1),
    code: 'mq_send(mq, "low", 4, 1);',
    ...at('"low"'),
    explain: text('"low" with priority 1.', '"low"，优先级 1。', '"low"，優先級 1。'),
  },
  {
    role: 'sender',
    op: 'mq_send',
    args: send('high', 9),
    code: 'mq_send(mq, "high", 5, 9);',
    ...at('"high"'),
    explain: text('"high" with priority 9, sent second.', '"high"，优先级 9，第二个发送。', '"high"，優先級 9，第二個傳送。'),
  },
  {
    role: 'sender',
    op: 'mq_send',
    args: send('middle', 5),
    code: 'mq_send(mq, "middle", 7, 5);',
    ...at('"middle"'),
    explain: text(
      '"middle" with priority 5. Three messages, 16 bytes: the picture shows the count and QSIZE, read from the kernel.',
      '"middle"，优先级 5。三条消息，16 字节：图中显示从内核读到的条数和 QSIZE。',
      '"middle"，優先級 5。三則訊息，16 位元組：圖中顯示從核心讀到的則數和 QSIZE。',
    ),
  },
  {
    id: 'too-big',
    role: 'sender',
    op: 'mq_send',
    args: (v) => ({ fd: numberVar(v, 'mq'), text: 'x'.repeat(MQ_TOO_BIG), priority: 0 }),
    code: 'mq_send(mq, big, sizeof big, 0);',
    ...at('mq_send(mq, big'),
    expectFailure: true,
    explain: text(
      `${MQ_TOO_BIG} bytes into a queue made for ${MQ_MSGSIZE}-byte messages: mq_send fails with EMSGSIZE, and the queue is unchanged.`,
      `向每条限 ${MQ_MSGSIZE} 字节的队列发送 ${MQ_TOO_BIG} 字节：mq_send 以 EMSGSIZE 失败，队列不变。`,
      `向每則限 ${MQ_MSGSIZE} 位元組的佇列傳送 ${MQ_TOO_BIG} 位元組：mq_send 以 EMSGSIZE 失敗，佇列不變。`,
    ),
  },
  {
    role: 'sender',
    op: 'spawn-child',
    spawns: 'receiver',
    save: (reply, vars) => {
      vars.child = reply.result;
    },
    code: 'child = fork();',
    ...at('fork('),
    explain: text(
      'The sender starts the receiver. A child is born in its parent\'s namespaces, so it can find the queue by name.',
      '发送方启动接收方。子进程生在父进程的命名空间里，所以能按名字找到这个队列。',
      '發送方啟動接收方。子行程生在父行程的命名空間裡，所以能按名字找到這個佇列。',
    ),
  },
  {
    role: 'receiver',
    op: 'mq_open',
    args: (v) => ({ name: mqNameOf(v), access: 'r', create: false }),
    save: saveResult('in'),
    code: 'in = mq_open(name, O_RDONLY | O_CLOEXEC);',
    ...at('in = mq_open('),
    explain: text('The receiver opens the queue by its name, for reading.', '接收方按名字以读方式打开队列。', '接收方按名字以讀取方式開啟佇列。'),
  },
  {
    role: 'receiver',
    op: 'mq_receive',
    args: receive,
    save: (reply, vars) => {
      if (typeof reply.data?.priority === 'number') vars.firstPriority = reply.data.priority;
    },
    code: 'mq_receive(in, buf, sizeof buf, &prio);',
    ...at('mq_receive(', 1),
    question: mqPriorityQuestion,
    explain: text(
      'The first mq_receive gets "high": a POSIX queue hands out the highest priority first, and messages of equal priority in the order sent.',
      '第一次 mq_receive 得到 "high"：POSIX 队列先交出优先级最高的消息，优先级相同的按发送顺序。',
      '第一次 mq_receive 得到 "high"：POSIX 佇列先交出優先級最高的訊息，優先級相同的按傳送順序。',
    ),
  },
  {
    role: 'receiver',
    op: 'mq_receive',
    args: receive,
    code: 'mq_receive(in, buf, sizeof buf, &prio);',
    ...at('mq_receive(', 2),
    explain: text('Then "middle" (5)…', '接着是 "middle"（5）……', '接著是 "middle"（5）……'),
  },
  {
    id: 'last',
    role: 'receiver',
    op: 'mq_receive',
    args: receive,
    code: 'mq_receive(in, buf, sizeof buf, &prio);',
    ...at('mq_receive(', 3),
    explain: text('…and "low" (1), although it was sent first. The queue is empty.', '……然后是 "low"（1），尽管它最先发送。队列空了。', '……然後是 "low"（1），儘管它最先傳送。佇列空了。'),
  },
  {
    role: 'receiver',
    op: 'mq_receive',
    args: receive,
    code: 'mq_receive(in, buf, sizeof buf, &prio);',
    ...at('mq_receive(', 4),
    question: mqEmptyQuestion,
    explain: text(
      'On an empty queue mq_receive sleeps: /proc shows the receiver in wq_sleep, inside mq_timedreceive.',
      '队列为空时 mq_receive 睡眠：/proc 显示接收方在 mq_timedreceive 里的 wq_sleep 中。',
      '佇列為空時 mq_receive 睡眠：/proc 顯示接收方在 mq_timedreceive 裡的 wq_sleep 中。',
    ),
  },
  {
    role: 'sender',
    op: 'mq_send',
    args: send('wake', 0),
    code: 'mq_send(mq, "wake", 5, 0);',
    ...at('"wake"'),
    explain: text('A send wakes the sleeping receiver, which gets "wake" at once.', '一次发送唤醒了睡眠的接收方，它立即得到 "wake"。', '一次傳送喚醒了睡眠的接收方，它立即得到 "wake"。'),
  },
  {
    role: 'sender',
    op: 'mq_unlink',
    args: (v) => ({ name: mqNameOf(v) }),
    save: (reply, vars) => {
      if (reply.result === 0) forgetMq(stringVar(vars, 'dir'), mqNameOf(vars));
    },
    code: 'mq_unlink(name);',
    ...at('mq_unlink('),
    explain: text(
      'mq_unlink removes the name. Like a file, the queue itself lives on until its last descriptor is closed.',
      'mq_unlink 删除名字。和文件一样，队列本身会一直存在到最后一个描述符关闭。',
      'mq_unlink 刪除名字。和檔案一樣，佇列本身會一直存在到最後一個描述符關閉。',
    ),
  },
  {
    role: 'receiver',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...at('exit(0)', 1),
    explain: text('The receiver exits.', '接收方退出。', '接收方結束。'),
  },
  {
    role: 'sender',
    op: 'waitpid',
    args: (v) => ({ pid: numberVar(v, 'child') }),
    code: 'waitpid(child, NULL, 0);',
    ...at('waitpid('),
    explain: text('The sender collects the receiver\'s exit status.', '发送方取走接收方的退出状态。', '發送方取走接收方的結束狀態。'),
  },
  {
    role: 'sender',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...at('exit(0)', 2),
    explain: text(
      'The sender exits: the last process of its namespaces. The IPC namespace, the queue and the mount are gone with it.',
      '发送方退出：它是其命名空间里的最后一个进程。IPC 命名空间、队列和挂载随之消失。',
      '發送方結束：它是其命名空間裡的最後一個行程。IPC 命名空間、佇列和掛載隨之消失。',
    ),
  },
];

export const msgqPosix: Lesson = {
  id: 'msgq-posix',
  firstRole: 'sender',
  tempDir: true,
  mechanism: 'msg',
  programs: [mqPriorityC],
  title: text('A POSIX message queue, by priority', 'POSIX 消息队列：按优先级', 'POSIX 訊息佇列：按優先級'),
  summary: text(
    'mq_send with priorities 1, 9, 5 and mq_receive giving 9, 5, 1; a message past mq_msgsize refused; a receive asleep on the empty queue; the mqueue filesystem mounted in a private namespace so QSIZE can be read and nothing outlives the lesson.',
    'mq_send 以优先级 1、9、5 发送，mq_receive 按 9、5、1 取出；超过 mq_msgsize 的消息被拒绝；空队列上的接收会睡眠；在私有命名空间里挂载 mqueue 文件系统，以读取 QSIZE，且本课之后什么都不留下。',
    'mq_send 以優先級 1、9、5 傳送，mq_receive 按 9、5、1 取出；超過 mq_msgsize 的訊息被拒絕；空佇列上的接收會睡眠；在私有命名空間裡掛載 mqueue 檔案系統，以讀取 QSIZE，且本課之後什麼都不留下。',
  ),
  claims: [mqNamespaceClaim, mqMsgsizeClaim],
  steps,
};

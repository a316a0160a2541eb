/**
 * What the POSIX queue lesson asks and claims, judged from the kernel: the
 * receive's priority, /proc/PID/{wchan,syscall} (wq_sleep, 243
 * mq_timedreceive), the sender's /proc/PID/mountinfo against the engine's
 * own, QSIZE read through /proc/PID/root/<mount>/<name>, and
 * /proc/sys/fs/mqueue/msgsize_max.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readQsizeAt } from '../../libc/posix-ipc';
import { mqueueMount } from '../../probe/kinds/posix/posix-mqueue';
import type { ClaimMeasure, LessonClaim, LessonQuestion, LessonVars, SettledStep } from '../lesson-types';
import { stringVar } from '../lesson-types';
import { text } from '../step-kit';

export const MQ_MAXMSG = 4;
export const MQ_MSGSIZE = 64;
export const MQ_TOO_BIG = 100;
/* x86_64 (KERNEL-FACTS "Who is blocked") */
const SYS_MQ_TIMEDRECEIVE = 243;

/** The lesson's queue name: its directory's name, so two lessons never share one ("/ipcscope-lesson-XXXXXX"). */
export const mqNameOf = (vars: LessonVars): string => `/${basename(stringVar(vars, 'dir'))}`;

/** QSIZE of the lesson's queue through the sender's own mqueue mount (/proc/PID/root walks its mounts); null without one. */
export function qsizeThroughSender(settled: SettledStep): number | null {
  const pid = settled.pidOf('sender');
  if (pid === undefined) return null;
  const mount = mqueueMount(pid);
  return mount === null ? null : readQsizeAt(`/proc/${pid}/root${mount}`, mqNameOf(settled.vars));
}

export const mqPriorityQuestion: LessonQuestion = {
  prompt: text(
    'Sent in this order: "low" (priority 1), "high" (9), "middle" (5). What does the first mq_receive get?',
    '发送顺序："low"（优先级 1）、"high"（9）、"middle"（5）。第一次 mq_receive 得到什么？',
    '傳送順序："low"（優先級 1）、"high"（9）、"middle"（5）。第一次 mq_receive 得到什麼？',
  ),
  choices: [
    { id: 'low', text: text('"low", sent first', '"low"，最先发送的', '"low"，最先傳送的') },
    { id: 'high', text: text('"high", the highest priority', '"high"，优先级最高的', '"high"，優先級最高的') },
    { id: 'middle', text: text('"middle", sent last', '"middle"，最后发送的', '"middle"，最後傳送的') },
  ],
  judge(settled) {
    const got = typeof settled.reply?.data?.bytes === 'string' ? Buffer.from(settled.reply.data.bytes, 'base64').toString('latin1').replace(/\0+$/, '') : '';
    const priority = settled.reply?.data?.priority;
    return {
      correct: got === 'low' || got === 'middle' ? got : 'high',
      evidence: text(
        `mq_receive returned ${settled.reply?.result ?? '?'} bytes: "${got}", priority ${String(priority)}. The kernel keeps a POSIX queue sorted by priority.`,
        `mq_receive 返回 ${settled.reply?.result ?? '?'} 字节："${got}"，优先级 ${String(priority)}。内核让 POSIX 队列按优先级排好。`,
        `mq_receive 回傳 ${settled.reply?.result ?? '?'} 位元組："${got}"，優先級 ${String(priority)}。核心讓 POSIX 佇列按優先級排好。`,
      ),
    };
  },
};

export const mqEmptyQuestion: LessonQuestion = {
  prompt: text(
    'The queue is empty and the receiver calls mq_receive again (without O_NONBLOCK). What happens?',
    '队列空了，接收方再次调用 mq_receive（没有 O_NONBLOCK）。会发生什么？',
    '佇列空了，接收方再次呼叫 mq_receive（沒有 O_NONBLOCK）。會發生什麼？',
  ),
  choices: [
    { id: 'sleeps', text: text('It sleeps until a message comes', '它睡眠，直到有消息到来', '它睡眠，直到有訊息到來') },
    { id: 'eagain', text: text('-1 with EAGAIN', '-1，EAGAIN', '-1，EAGAIN') },
  ],
  judge(settled) {
    const wait = settled.wait('receiver');
    const asleep = settled.status === 'blocked' && wait !== null && wait.syscallNr === SYS_MQ_TIMEDRECEIVE && (wait.state === 'S' || wait.state === 'D');
    return {
      correct: asleep ? 'sleeps' : 'eagain',
      evidence: text(
        `The receiver: state ${wait?.state ?? 'gone'}, wchan ${wait?.wchan || '-'}, syscall ${wait?.syscallNr ?? '?'} (243 is mq_timedreceive, which glibc's mq_receive calls). EAGAIN is the O_NONBLOCK answer.`,
        `接收方：状态 ${wait?.state ?? '已消失'}，wchan ${wait?.wchan || '-'}，系统调用 ${wait?.syscallNr ?? '?'}（243 是 mq_timedreceive，glibc 的 mq_receive 调用它）。EAGAIN 是 O_NONBLOCK 时的回答。`,
        `接收方：狀態 ${wait?.state ?? '已消失'}，wchan ${wait?.wchan || '-'}，系統呼叫 ${wait?.syscallNr ?? '?'}（243 是 mq_timedreceive，glibc 的 mq_receive 呼叫它）。EAGAIN 是 O_NONBLOCK 時的回答。`,
      ),
    };
  },
};

export const mqNamespaceClaim: LessonClaim = {
  id: 'mq-visible-as-files',
  claim: text(
    'The course says POSIX queues can be looked at as files, under a mounted mqueue filesystem (usually /dev/mqueue).',
    '课程说可以把 POSIX 队列当作文件查看，位于挂载的 mqueue 文件系统下（通常是 /dev/mqueue）。',
    '課程說可以把 POSIX 佇列當作檔案查看，位於掛載的 mqueue 檔案系統下（通常是 /dev/mqueue）。',
  ),
  after: 'mount',
  measure(settled): ClaimMeasure {
    const pid = settled.pidOf('sender');
    const senderMount = pid === undefined ? null : mqueueMount(pid);
    const machineMount = mqueueMount();
    if (senderMount === null) {
      return {
        holds: 'partly',
        measured: { 'mqueue mounted here': machineMount ?? 'no', 'mount in the lesson': 'refused' },
        text: text(
          `No mqueue filesystem is mounted on this machine${machineMount ? ` except at ${machineMount}` : ''}, and mounting one needs CAP_SYS_ADMIN, which ipcscope does not have here (unshare or mount failed). The picture can still count messages (mq_getattr), but the bytes waiting in a queue only the sender holds (QSIZE) cannot be read, and no queue's contents can ever be shown: mq_receive removes what it reads, and there is no way to peek.`,
          `这台机器${machineMount ? `只在 ${machineMount} ` : '没有'}挂载 mqueue 文件系统，而挂载需要 CAP_SYS_ADMIN，ipcscope 在这里没有（unshare 或 mount 失败）。图中仍能数出消息条数（mq_getattr），但只有发送方持有的队列里等待的字节数（QSIZE）读不到；任何队列的内容也都无法显示：mq_receive 会取走读到的消息，没有偷看的办法。`,
          `這台機器${machineMount ? `只在 ${machineMount} ` : '沒有'}掛載 mqueue 檔案系統，而掛載需要 CAP_SYS_ADMIN，ipcscope 在這裡沒有（unshare 或 mount 失敗）。圖中仍能數出訊息則數（mq_getattr），但只有發送方持有的佇列裡等待的位元組數（QSIZE）讀不到；任何佇列的內容也都無法顯示：mq_receive 會取走讀到的訊息，沒有偷看的辦法。`,
        ),
      };
    }
    return {
      holds: 'holds',
      measured: { 'mqueue mounted for the machine': machineMount ?? 'no', 'mounted for the sender at': senderMount },
      text: text(
        `The machine has ${machineMount ? `an mqueue mount at ${machineMount}` : 'no mqueue mount (no /dev/mqueue)'}; the sender's own mount table (/proc/${pid}/mountinfo) has one at ${senderMount}. ipcscope reads each queue file there through /proc/${pid}/root: its QSIZE line gives the bytes waiting. Contents stay hidden even so: a POSIX queue cannot be peeked, mq_receive removes what it reads.`,
        `机器本身${machineMount ? `在 ${machineMount} 挂载了 mqueue` : '没有 mqueue 挂载（没有 /dev/mqueue）'}；发送方自己的挂载表（/proc/${pid}/mountinfo）在 ${senderMount} 有一个。ipcscope 通过 /proc/${pid}/root 读取那里的队列文件：其中 QSIZE 一行给出等待的字节数。即便如此内容仍看不到：POSIX 队列无法偷看，mq_receive 会取走读到的消息。`,
        `機器本身${machineMount ? `在 ${machineMount} 掛載了 mqueue` : '沒有 mqueue 掛載（沒有 /dev/mqueue）'}；發送方自己的掛載表（/proc/${pid}/mountinfo）在 ${senderMount} 有一個。ipcscope 透過 /proc/${pid}/root 讀取那裡的佇列檔案：其中 QSIZE 一行給出等待的位元組數。即便如此內容仍看不到：POSIX 佇列無法偷看，mq_receive 會取走讀到的訊息。`,
      ),
    };
  },
};

/** The kernel limit hit on screen: 100 bytes against the queue's mq_msgsize (and the system's msgsize_max). */
export const mqMsgsizeClaim: LessonClaim = {
  id: 'mq-msgsize',
  claim: text(
    'The course says every message of a POSIX queue has a maximum size, fixed when the queue is created (mq_msgsize).',
    '课程说 POSIX 队列的每条消息都有最大长度，在创建队列时确定（mq_msgsize）。',
    '課程說 POSIX 佇列的每則訊息都有最大長度，在建立佇列時確定（mq_msgsize）。',
  ),
  after: 'too-big',
  measure(settled) {
    const errno = settled.reply?.errno ?? null;
    const max = Number(readFileSync('/proc/sys/fs/mqueue/msgsize_max', 'utf8').trim());
    const qsize = qsizeThroughSender(settled);
    return {
      holds: settled.reply?.result === -1 && errno === 'EMSGSIZE' ? 'holds' : 'differs',
      measured: { 'message size': MQ_TOO_BIG, mq_msgsize: MQ_MSGSIZE, msgsize_max: max, mq_send: `-1 ${errno ?? ''}`.trim(), QSIZE: qsize ?? 'unreadable' },
      text: text(
        `Limit mq_msgsize = ${MQ_MSGSIZE} bytes for this queue (set by mq_open; the system allows up to ${max}, /proc/sys/fs/mqueue/msgsize_max). The ${MQ_TOO_BIG}-byte mq_send got -1 ${errno ?? ''}; QSIZE ${qsize === null ? 'could not be read' : `is still ${qsize}`}.`,
        `此队列的限制 mq_msgsize = ${MQ_MSGSIZE} 字节（由 mq_open 设定；系统允许最多 ${max}，见 /proc/sys/fs/mqueue/msgsize_max）。${MQ_TOO_BIG} 字节的 mq_send 得到 -1 ${errno ?? ''}；QSIZE ${qsize === null ? '无法读取' : `仍为 ${qsize}`}。`,
        `此佇列的限制 mq_msgsize = ${MQ_MSGSIZE} 位元組（由 mq_open 設定；系統允許最多 ${max}，見 /proc/sys/fs/mqueue/msgsize_max）。${MQ_TOO_BIG} 位元組的 mq_send 得到 -1 ${errno ?? ''}；QSIZE ${qsize === null ? '無法讀取' : `仍為 ${qsize}`}。`,
      ),
    };
  },
};

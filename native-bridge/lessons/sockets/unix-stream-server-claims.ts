/**
 * The Unix stream server lesson's questions and claims. Every verdict reads
 * the kernel: the socket file from stat(), the listener's queue from
 * NETLINK_SOCK_DIAG (the numbers `ss -xl` prints: Recv-Q = connections
 * waiting to be accepted, Send-Q = the backlog), a blocked step from /proc.
 */
import { queryUnixSocket } from '../../probe/kinds/sockets/unix-sockets';
import type { LessonClaim, LessonQuestion, LessonVars, SettledStep } from '../lesson-types';
import { connectNotAcceptClaim, judgeConnect } from './connect-claim';
import { text } from '../step-kit';

/** The listener as the kernel has it now: pending connections, backlog, pending client inodes. */
export function listenerQueue(vars: LessonVars): { pending: number; backlog: number; clients: number[] } | null {
  const inode = Number(vars.listenerInode);
  if (!Number.isInteger(inode) || inode <= 0) return null;
  const entry = queryUnixSocket(inode);
  return entry ? { pending: entry.rqueue, backlog: entry.wqueue, clients: entry.icons } : null;
}

function queueText(vars: LessonVars): { en: string; hans: string; hant: string } {
  const q = listenerQueue(vars);
  if (!q) return { en: 'the listener is gone', hans: '监听套接字已不存在', hant: '監聽通訊端已不存在' };
  return {
    en: `the listener's queue holds ${q.pending} of ${q.backlog} (ss -xl: Recv-Q ${q.pending}, Send-Q ${q.backlog})`,
    hans: `监听队列里有 ${q.pending} 个连接，上限 ${q.backlog}（ss -xl：Recv-Q ${q.pending}，Send-Q ${q.backlog}）`,
    hant: `監聽佇列裡有 ${q.pending} 個連線，上限 ${q.backlog}（ss -xl：Recv-Q ${q.pending}，Send-Q ${q.backlog}）`,
  };
}

export const connectQuestion: LessonQuestion = {
  prompt: text(
    'The server is listening but has not called accept(). What does the client\'s connect() do?',
    '服务器已在监听，但还没有调用 accept()。客户端的 connect() 会怎样？',
    '伺服器已在監聽，但還沒有呼叫 accept()。用戶端的 connect() 會怎樣？',
  ),
  choices: [
    { id: 'returns', text: text('It returns 0 at once: the connection waits in the queue', '立刻返回 0：连接在队列里等待', '立刻回傳 0：連線在佇列裡等待') },
    { id: 'blocks', text: text('It sleeps until the server accepts', '睡眠直到服务器 accept', '睡眠直到伺服器 accept') },
    { id: 'refused', text: text('It fails: nobody accepted', '失败：没有人 accept', '失敗：沒有人 accept') },
  ],
  judge(settled: SettledStep) {
    const q = queueText(settled.vars);
    return judgeConnect(
      settled,
      q,
      text(
        `connect() returned 0 although nobody called accept(): ${q.en}.`,
        `没有人调用 accept()，connect() 却返回了 0：${q.hans}。`,
        `沒有人呼叫 accept()，connect() 卻回傳了 0：${q.hant}。`,
      ),
    );
  },
};

export const acceptQuestion: LessonQuestion = {
  prompt: text(
    'Two connections wait in the listener\'s queue. How many wait after one accept()?',
    '监听队列里有两个连接在等待。一次 accept() 之后还剩几个？',
    '監聽佇列裡有兩個連線在等待。一次 accept() 之後還剩幾個？',
  ),
  choices: [
    { id: '2', text: text('Still 2', '仍是 2 个', '仍是 2 個') },
    { id: '1', text: text('1', '1 个', '1 個') },
    { id: '0', text: text('0: accept takes them all', '0 个：accept 全部取走', '0 個：accept 全部取走') },
  ],
  judge(settled: SettledStep) {
    const q = listenerQueue(settled.vars);
    const pending = q?.pending ?? -1;
    const t = queueText(settled.vars);
    return {
      correct: String(Math.max(0, Math.min(2, pending))),
      evidence: text(
        `accept() returned descriptor ${settled.reply?.result ?? '?'}, a new socket joined to the first client; ${t.en}.`,
        `accept() 返回描述符 ${settled.reply?.result ?? '?'}，它是与第一个客户端相连的新套接字；${t.hans}。`,
        `accept() 回傳描述符 ${settled.reply?.result ?? '?'}，它是與第一個用戶端相連的新通訊端；${t.hant}。`,
      ),
    };
  },
};

export const socketFileClaim: LessonClaim = {
  id: 'unix-socket-file',
  claim: text(
    'The course says bind() gives a Unix domain socket a name in the file system, like a file.',
    '课程说 bind() 让 Unix 域套接字在文件系统里有一个名字，就像文件一样。',
    '課程說 bind() 讓 Unix 網域通訊端在檔案系統裡有一個名字，就像檔案一樣。',
  ),
  after: 'stat',
  measure(settled) {
    const { type, size, blocks } = settled.reply?.data ?? {};
    return {
      holds: type === 's' ? 'holds' : 'differs',
      measured: { type: String(type), st_size: Number(size), st_blocks: Number(blocks) },
      text: text(
        `stat() says: type ${String(type)} (a socket), st_size ${String(size)}, st_blocks ${String(blocks)}. The name is a file; the bytes sent through the socket never go into it, they wait in the kernel's socket queues.`,
        `stat() 显示：类型 ${String(type)}（套接字），st_size ${String(size)}，st_blocks ${String(blocks)}。名字是个文件；经套接字发送的字节从不写进它，而是在内核的套接字队列里等待。`,
        `stat() 顯示：類型 ${String(type)}（通訊端），st_size ${String(size)}，st_blocks ${String(blocks)}。名字是個檔案；經通訊端傳送的位元組從不寫進它，而是在核心的通訊端佇列裡等待。`,
      ),
    };
  },
};

export const connectWithAcceptClaim: LessonClaim = connectNotAcceptClaim({
  id: 'client-connects-with-accept',
  queue: listenerQueue,
  explain: (pending, backlog) =>
    text(
      `The client calls connect(); accept() is the server's call. Here both clients' connect() returned 0 before the server called accept() at all, and the kernel holds ${pending} connections in the listener's queue (backlog ${backlog}) until the server accepts them.`,
      `客户端调用的是 connect()；accept() 是服务器的调用。这里两个客户端的 connect() 都在服务器调用 accept() 之前返回了 0，内核把 ${pending} 个连接放在监听队列里（上限 ${backlog}），等服务器来 accept。`,
      `用戶端呼叫的是 connect()；accept() 是伺服器的呼叫。這裡兩個用戶端的 connect() 都在伺服器呼叫 accept() 之前回傳了 0，核心把 ${pending} 個連線放在監聽佇列裡（上限 ${backlog}），等伺服器來 accept。`,
    ),
});

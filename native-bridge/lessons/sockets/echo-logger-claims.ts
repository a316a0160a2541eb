/**
 * The echo-logger lesson's questions and claims. Every verdict reads the
 * kernel: the listener's queue from NETLINK_SOCK_DIAG (the numbers `ss -tl`
 * prints: Recv-Q = finished handshakes waiting for accept(), Send-Q = the
 * backlog), a blocked step from /proc/PID/{stat,wchan,syscall}.
 */
import type { LessonClaim, LessonQuestion, LessonVars, SettledStep } from '../lesson-types';
import { tcpListenerQueue } from './echo-logger-port';
import { connectNotAcceptClaim, judgeConnect } from './connect-claim';
import { text } from '../step-kit';

function queueOf(vars: LessonVars): { pending: number; backlog: number } | null {
  return tcpListenerQueue(Number(vars.port));
}

function queueText(vars: LessonVars): { en: string; hans: string; hant: string } {
  const q = queueOf(vars);
  const port = String(vars.port ?? '?');
  if (!q) return { en: `nothing listens on port ${port}`, hans: `端口 ${port} 上没有监听者`, hant: `連接埠 ${port} 上沒有監聽者` };
  return {
    en: `the listener on port ${port} holds ${q.pending} finished handshake(s), backlog ${q.backlog} (ss -tl: Recv-Q ${q.pending}, Send-Q ${q.backlog})`,
    hans: `端口 ${port} 的监听队列里有 ${q.pending} 个已完成握手的连接，上限 ${q.backlog}（ss -tl：Recv-Q ${q.pending}，Send-Q ${q.backlog}）`,
    hant: `連接埠 ${port} 的監聽佇列裡有 ${q.pending} 個已完成交握的連線，上限 ${q.backlog}（ss -tl：Recv-Q ${q.pending}，Send-Q ${q.backlog}）`,
  };
}

export const tcpConnectQuestion: LessonQuestion = {
  prompt: text(
    'The server listens on 127.0.0.1 but has not called accept(). What does the client\'s connect() do?',
    '服务器在 127.0.0.1 上监听，但还没有调用 accept()。客户端的 connect() 会怎样？',
    '伺服器在 127.0.0.1 上監聽，但還沒有呼叫 accept()。用戶端的 connect() 會怎樣？',
  ),
  choices: [
    { id: 'returns', text: text('Returns 0 once the handshake is done; the connection waits in the queue', '握手完成就返回 0；连接在队列里等待', '交握完成就回傳 0；連線在佇列裡等待') },
    { id: 'blocks', text: text('Sleeps until the server accepts', '睡眠直到服务器 accept', '睡眠直到伺服器 accept') },
    { id: 'refused', text: text('Fails with ECONNREFUSED', '以 ECONNREFUSED 失败', '以 ECONNREFUSED 失敗') },
  ],
  judge(settled: SettledStep) {
    const q = queueText(settled.vars);
    return judgeConnect(
      settled,
      q,
      text(
        `connect() returned 0 and nobody has called accept(): the kernel answered the handshake itself; ${q.en}.`,
        `没有人调用 accept()，connect() 却返回了 0：握手由内核自己完成；${q.hans}。`,
        `沒有人呼叫 accept()，connect() 卻回傳了 0：交握由核心自己完成；${q.hant}。`,
      ),
    );
  },
};

export const loggerEofQuestion: LessonQuestion = {
  prompt: text(
    'Both children have exited and been reaped. The logger still sleeps in read() on the pipe. What wakes it with 0 (end of file)?',
    '两个子进程都已退出并被回收。记录进程仍睡在管道的 read() 里。什么会让它读到 0（文件结束）？',
    '兩個子行程都已結束並被回收。記錄行程仍睡在管道的 read() 裡。什麼會讓它讀到 0（檔案結束）？',
  ),
  choices: [
    { id: 'already', text: text('Nothing: it already got 0 when the children exited', '不需要：子进程退出时它已经读到 0', '不需要：子行程結束時它已經讀到 0') },
    { id: 'server-close', text: text('The server closing its own write end, the last one', '服务器关闭自己的写端，也就是最后一个', '伺服器關閉自己的寫端，也就是最後一個') },
    { id: 'never', text: text('Nothing can: a logger reads forever', '什么也不能：记录进程会一直读下去', '什麼也不能：記錄行程會一直讀下去') },
  ],
  async judge(settled: SettledStep) {
    /* the logger was asleep in read (syscall 0) on the pipe before this close: does it wake now? (polled: it runs a moment after the close) */
    const inRead = () => {
      const w = settled.wait('logger');
      return w !== null && w.state !== 'Z' && w.syscallNr === 0;
    };
    for (let i = 0; i < 100 && inRead(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const wait = settled.wait('logger');
    const woke = !inRead();
    const result = String(settled.reply?.result ?? '?');
    const where =
      wait === null
        ? { en: 'gone', hans: '已消失', hant: '已消失' }
        : wait.syscallNr === 0
          ? { en: `asleep in read (wchan ${wait.wchan})`, hans: `睡在 read 中（wchan ${wait.wchan}）`, hant: `睡在 read 中（wchan ${wait.wchan}）` }
          : { en: `state ${wait.state}, out of read`, hans: `状态 ${wait.state}，已离开 read`, hant: `狀態 ${wait.state}，已離開 read` };
    if (!woke) {
      return {
        correct: 'never',
        evidence: text(
          `close() returned ${result} and the logger is still ${where.en}: some process still holds a write end.`,
          `close() 返回 ${result}，记录进程仍然${where.hans}：还有进程持有写端。`,
          `close() 回傳 ${result}，記錄行程仍然${where.hant}：還有行程持有寫端。`,
        ),
      };
    }
    return {
      correct: 'server-close',
      evidence: text(
        `close() returned ${result}, and the logger left its read() at once (now ${where.en}). A pipe reader gets 0 only when no write end is left open anywhere: the children's copies went when they exited, the server's was the last.`,
        `close() 返回 ${result}，记录进程随即离开了 read()（现在：${where.hans}）。只有当任何地方都不再有打开的写端时，管道的读者才读到 0：子进程的副本在它们退出时关闭，服务器的是最后一个。`,
        `close() 回傳 ${result}，記錄行程隨即離開了 read()（現在：${where.hant}）。只有當任何地方都不再有開啟的寫端時，管道的讀者才讀到 0：子行程的副本在它們結束時關閉，伺服器的是最後一個。`,
      ),
    };
  },
};

export const tcpConnectWithAcceptClaim: LessonClaim = connectNotAcceptClaim({
  id: 'tcp-client-connects-with-accept',
  queue: queueOf,
  explain: (pending, backlog) =>
    text(
      `A TCP client calls connect(); accept() is the server's call. connect() returns as soon as the three-way handshake is done, and the kernel does that handshake for the listener by itself: here both clients' connect() returned 0 before the server called accept(), and ${pending} finished connections wait in the listener's queue (backlog ${backlog}), exactly what ss -tl shows.`,
      `TCP 客户端调用的是 connect()；accept() 是服务器的调用。三次握手一完成 connect() 就返回，而这次握手由内核替监听套接字完成：这里两个客户端的 connect() 都在服务器调用 accept() 之前返回了 0，${pending} 个已完成的连接在监听队列里等待（上限 ${backlog}），和 ss -tl 显示的一致。`,
      `TCP 用戶端呼叫的是 connect()；accept() 是伺服器的呼叫。三向交握一完成 connect() 就回傳，而這次交握由核心替監聽通訊端完成：這裡兩個用戶端的 connect() 都在伺服器呼叫 accept() 之前回傳了 0，${pending} 個已完成的連線在監聽佇列裡等待（上限 ${backlog}），和 ss -tl 顯示的一致。`,
    ),
});

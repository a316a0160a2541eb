/**
 * The signals lesson's questions and claims, judged from the kernel: the
 * parent's masks in /proc/PID/status (SigPnd, ShdPnd, SigBlk, SigCgt), the
 * bytes its handler wrote into its note pipe (FIONREAD, and a tee() copy
 * through a descriptor borrowed for microseconds), and the child's state in
 * /proc/PID/stat (a zombie until waitpid).
 */
import { readFileSync } from 'node:fs';
import { native, O_CLOEXEC, SPLICE_F_NONBLOCK } from '../../libc/libc';
import type { SignalSet } from '../../model/snapshot-types';
import { borrowOnce } from '../../probe/process/pidfd';
import { readSignals } from '../../probe/process/signals';
import type { ClaimMeasure, LessonClaim, LessonQuestion, SettledStep } from '../lesson-types';
import { text } from '../step-kit';

/* the handler needs a moment: libuv notes the signal, then the listener runs from the event loop */
const EVIDENCE_DEADLINE_MS = 15_000;

/** The bytes the parent's handler wrote and nobody read yet, copied with tee() (the pipe keeps them). */
export function notesOf(settled: SettledStep): string | null {
  const pid = settled.pidOf('parent');
  const fd = settled.vars.note0;
  if (pid === undefined || typeof fd !== 'number') return null;
  return borrowOnce(pid, fd, (dup) => {
    const copy = new Int32Array(2);
    if (native.pipe2(copy, O_CLOEXEC) !== 0) return null;
    try {
      const copied = native.tee(dup, copy[1]!, 64, SPLICE_F_NONBLOCK);
      if (copied <= 0) return '';
      const buf = new Uint8Array(copied);
      const got = native.read(copy[0]!, buf, copied);
      return Buffer.from(buf.subarray(0, Math.max(got, 0))).toString('latin1');
    } finally {
      native.close(copy[0]!);
      native.close(copy[1]!);
    }
  });
}

const count = (notes: string | null, mark: string): number => (notes ?? '').split('').filter((c) => c === mark).length;

/** Polls until `ready` holds for what the kernel shows, or the deadline passes; returns the last reading. */
async function settle<T>(read: () => T, ready: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + EVIDENCE_DEADLINE_MS;
  let value = read();
  while (!ready(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    value = read();
  }
  return value;
}

/** The handler's notes once one carries `mark` (or the deadline passed): handlers run a moment after the signal. */
const notesWith = (settled: SettledStep, mark: string): Promise<string | null> =>
  settle(
    () => notesOf(settled),
    (n) => count(n, mark) > 0,
  );

const parentSignals = (settled: SettledStep): SignalSet | null => {
  const pid = settled.pidOf('parent');
  return pid === undefined ? null : readSignals(pid);
};
const names = (list: readonly string[] | undefined): string => (list && list.length > 0 ? list.join(' ') : '-');

export const usr2Question: LessonQuestion = {
  prompt: text(
    'The parent is not waiting for any signal: it is busy with nothing in particular. The child sends SIGUSR2. What happens in the parent?',
    '父进程并没有在等待任何信号，它只是在做别的事。子进程发送 SIGUSR2。父进程会怎样？',
    '父行程並沒有在等待任何訊號，它只是在做別的事。子行程傳送 SIGUSR2。父行程會怎樣？',
  ),
  choices: [
    { id: 'handler', text: text('Its handler runs at once, interrupting it', '它的处理函数立即运行，打断它正在做的事', '它的處理函式立即執行，打斷它正在做的事') },
    { id: 'pending', text: text('The signal waits until the parent asks for it', '信号一直等到父进程来取', '訊號一直等到父行程來取') },
    { id: 'dies', text: text('The parent is terminated', '父进程被终止', '父行程被終止') },
  ],
  async judge(settled) {
    const notes = await notesWith(settled, '2');
    const masks = parentSignals(settled);
    if (masks === null) return { correct: 'dies', evidence: text('The parent is gone.', '父进程已经不在了。', '父行程已經不在了。') };
    if (masks.sharedPending.includes('SIGUSR2') || masks.pending.includes('SIGUSR2')) {
      return { correct: 'pending', evidence: text('ShdPnd holds SIGUSR2.', 'ShdPnd 中有 SIGUSR2。', 'ShdPnd 中有 SIGUSR2。') };
    }
    return {
      correct: 'handler',
      evidence: text(
        `The handler wrote "${notes ?? ''}" into the note pipe; nothing is pending (ShdPnd: ${names(masks.sharedPending)}).`,
        `处理函数向记录管道写入了 "${notes ?? ''}"；没有未决信号（ShdPnd：${names(masks.sharedPending)}）。`,
        `處理函式向記錄管道寫入了 "${notes ?? ''}"；沒有擱置訊號（ShdPnd：${names(masks.sharedPending)}）。`,
      ),
    };
  },
};

export const blockedQuestion: LessonQuestion = {
  prompt: text(
    'The parent has blocked SIGUSR1 with sigprocmask. The child sends SIGUSR1. What happens?',
    '父进程已用 sigprocmask 阻塞了 SIGUSR1。子进程发送 SIGUSR1。会怎样？',
    '父行程已用 sigprocmask 阻擋了 SIGUSR1。子行程傳送 SIGUSR1。會怎樣？',
  ),
  choices: [
    { id: 'pending', text: text('It stays pending on the parent', '它在父进程上保持未决', '它在父行程上保持擱置') },
    { id: 'handler', text: text('The handler runs anyway', '处理函数照样运行', '處理函式照樣執行') },
    { id: 'lost', text: text('The kernel throws it away', '内核把它丢掉', '核心把它丟掉') },
    { id: 'error', text: text('kill fails', 'kill 调用失败', 'kill 呼叫失敗') },
  ],
  async judge(settled) {
    if (settled.reply && settled.reply.result !== 0) {
      return { correct: 'error', evidence: text(`kill returned ${settled.reply.result}.`, `kill 返回 ${settled.reply.result}。`, `kill 回傳 ${settled.reply.result}。`) };
    }
    const masks = await settle(
      () => parentSignals(settled),
      (m) => m !== null && m.sharedPending.includes('SIGUSR1'),
    );
    if (masks?.sharedPending.includes('SIGUSR1')) {
      return {
        correct: 'pending',
        evidence: text(
          `/proc/${settled.pidOf('parent')}/status: ShdPnd ${names(masks.sharedPending)}, SigBlk ${names(masks.blocked)}. It waits on the whole process.`,
          `/proc/${settled.pidOf('parent')}/status：ShdPnd 为 ${names(masks.sharedPending)}，SigBlk 为 ${names(masks.blocked)}。它挂在整个进程上等待。`,
          `/proc/${settled.pidOf('parent')}/status：ShdPnd 為 ${names(masks.sharedPending)}，SigBlk 為 ${names(masks.blocked)}。它掛在整個行程上等待。`,
        ),
      };
    }
    const ran = count(notesOf(settled), '1') > 0;
    return {
      correct: ran ? 'handler' : 'lost',
      evidence: text(
        `ShdPnd: ${names(masks?.sharedPending)}; notes: "${notesOf(settled) ?? ''}".`,
        `ShdPnd：${names(masks?.sharedPending)}；记录："${notesOf(settled) ?? ''}"。`,
        `ShdPnd：${names(masks?.sharedPending)}；記錄："${notesOf(settled) ?? ''}"。`,
      ),
    };
  },
};

export const unblockQuestion: LessonQuestion = {
  prompt: text(
    'SIGUSR1 was sent twice while it was blocked. The parent unblocks it. How many times does its handler run?',
    'SIGUSR1 在被阻塞期间发送了两次。父进程解除阻塞。处理函数会运行几次？',
    'SIGUSR1 在被阻擋期間傳送了兩次。父行程解除阻擋。處理函式會執行幾次？',
  ),
  choices: [
    { id: '0', text: text('Never: it was blocked when it came', '一次也不：它来的时候被阻塞了', '一次也不：它來的時候被阻擋了') },
    { id: '1', text: text('Once', '一次', '一次') },
    { id: '2', text: text('Twice', '两次', '兩次') },
  ],
  async judge(settled) {
    const notes = await notesWith(settled, '1');
    const runs = count(notes, '1');
    const masks = parentSignals(settled);
    return {
      correct: String(Math.min(runs, 2)),
      evidence: text(
        `The note pipe holds "${notes ?? ''}": ${runs} byte(s) from SIGUSR1. ShdPnd is now ${names(masks?.sharedPending)}. A pending standard signal is one bit, not a count.`,
        `记录管道里是 "${notes ?? ''}"：来自 SIGUSR1 的有 ${runs} 个字节。ShdPnd 现在为 ${names(masks?.sharedPending)}。标准信号的未决状态只是一个位，不是计数。`,
        `記錄管道裡是 "${notes ?? ''}"：來自 SIGUSR1 的有 ${runs} 個位元組。ShdPnd 現在為 ${names(masks?.sharedPending)}。標準訊號的擱置狀態只是一個位元，不是計數。`,
      ),
    };
  },
};

/* "Z" in /proc/PID/stat */
function isZombie(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** After the child's exit: its wait status while a zombie, and whether the parent's handler noted SIGCHLD ("C"). */
async function childExitSeen(settled: SettledStep): Promise<{ status: number | null; zombie: boolean; caught: boolean; notes: string | null }> {
  const status = await settled.zombieStatus('child');
  const notes = await notesWith(settled, 'C');
  return { status, notes, zombie: status !== null && isZombie(settled.pidOf('child')), caught: count(notes, 'C') > 0 };
}

export const childExitQuestion: LessonQuestion = {
  prompt: text(
    'The child exits. The parent has not called waitpid yet. What does the kernel show?',
    '子进程退出了。父进程还没有调用 waitpid。内核显示什么？',
    '子行程結束了。父行程還沒有呼叫 waitpid。核心顯示什麼？',
  ),
  choices: [
    { id: 'zombie', text: text('The parent caught SIGCHLD; the child stays, a zombie', '父进程捕获了 SIGCHLD；子进程留下，成了僵尸', '父行程捕捉了 SIGCHLD；子行程留下，成了殭屍') },
    { id: 'gone', text: text('The child is gone at once', '子进程立即消失', '子行程立即消失') },
    { id: 'nothing', text: text('Nothing reaches the parent', '父进程什么也收不到', '父行程什麼也收不到') },
  ],
  async judge(settled) {
    const { zombie, caught } = await childExitSeen(settled);
    return {
      correct: zombie ? (caught ? 'zombie' : 'nothing') : 'gone',
      evidence: text(
        `/proc/${settled.pidOf('child')}/stat: ${zombie ? 'state Z (zombie)' : 'gone'}; the parent's handler wrote ${caught ? '"C" for SIGCHLD' : 'nothing for SIGCHLD'}.`,
        `/proc/${settled.pidOf('child')}/stat：${zombie ? '状态 Z（僵尸）' : '已消失'}；父进程的处理函数${caught ? '为 SIGCHLD 写入了 "C"' : '没有为 SIGCHLD 写入任何东西'}。`,
        `/proc/${settled.pidOf('child')}/stat：${zombie ? '狀態 Z（殭屍）' : '已消失'}；父行程的處理函式${caught ? '為 SIGCHLD 寫入了 "C"' : '沒有為 SIGCHLD 寫入任何東西'}。`,
      ),
    };
  },
};

export const notCounted: LessonClaim = {
  id: 'signal-carries-little',
  claim: text(
    'The course says a signal carries little information: it only tells the receiver that some event happened.',
    '课程说：信号承载的信息量少，它只是通知接收者发生了某个事件。',
    '課程說：訊號承載的資訊量少，它只是通知接收者發生了某個事件。',
  ),
  after: 'unblock',
  async measure(settled): Promise<ClaimMeasure> {
    const notes = await notesWith(settled, '1');
    const runs = count(notes, '1');
    return {
      holds: runs === 1 ? 'holds' : 'differs',
      measured: { 'SIGUSR1 sent': 2, 'handler runs': runs },
      text: text(
        `Even less than that: two SIGUSR1 sent while blocked left one bit in ShdPnd, and the handler ran ${runs} time(s). Only the signal's number arrives, not how many were sent.`,
        `比这还少：阻塞期间发送的两个 SIGUSR1 在 ShdPnd 里只留下一个位，处理函数运行了 ${runs} 次。到达的只有信号的编号，而不是发了多少次。`,
        `比這還少：阻擋期間傳送的兩個 SIGUSR1 在 ShdPnd 裡只留下一個位元，處理函式執行了 ${runs} 次。到達的只有訊號的編號，而不是發了多少次。`,
      ),
    };
  },
};

export const asynchronous: LessonClaim = {
  id: 'signal-asynchronous',
  claim: text(
    'The course says signals are asynchronous: a process does nothing to wait for one and cannot know when it will arrive.',
    '课程说：信号是异步的，进程不必做任何操作来等待它，也不知道它何时到达。',
    '課程說：訊號是非同步的，行程不必做任何操作來等待它，也不知道它何時到達。',
  ),
  after: 'unblock',
  async measure(settled): Promise<ClaimMeasure> {
    const notes = await notesWith(settled, '1');
    return {
      holds: 'partly',
      measured: { notes: notes ?? '', 'SIGUSR2 handler runs': count(notes, '2'), 'SIGUSR1 handler runs': count(notes, '1') },
      text: text(
        'SIGUSR2 interrupted the parent while it waited for nothing of the kind. But a process can choose when a signal is delivered: SIGUSR1 waited, pending, until the parent unblocked it.',
        'SIGUSR2 在父进程并未等待它时打断了父进程。但进程可以选择信号何时递送：SIGUSR1 一直处于未决状态，直到父进程解除阻塞。',
        'SIGUSR2 在父行程並未等待它時打斷了父行程。但行程可以選擇訊號何時遞送：SIGUSR1 一直處於擱置狀態，直到父行程解除阻擋。',
      ),
    };
  },
};

export const sigchldZombie: LessonClaim = {
  id: 'sigchld-zombie',
  claim: text(
    'When a child ends, the kernel sends its parent SIGCHLD, and the child stays a zombie until the parent collects its status.',
    '子进程结束时，内核向父进程发送 SIGCHLD，子进程则一直是僵尸，直到父进程取走它的状态。',
    '子行程結束時，核心向父行程傳送 SIGCHLD，子行程則一直是殭屍，直到父行程取走它的狀態。',
  ),
  after: 'child-exit',
  async measure(settled): Promise<ClaimMeasure> {
    const { status, notes, zombie, caught } = await childExitSeen(settled);
    return {
      holds: zombie && caught ? 'holds' : 'differs',
      measured: { 'child state': zombie ? 'Z' : 'gone', 'wait status': status ?? -1, 'SIGCHLD handler runs': count(notes, 'C') },
      text: zombie && caught
        ? text(
            `It does: the child is in state Z with wait status ${status}, and the parent's handler noted SIGCHLD.`,
            `确实如此：子进程处于 Z 状态，等待状态为 ${status}，父进程的处理函数记下了 SIGCHLD。`,
            `確實如此：子行程處於 Z 狀態，等待狀態為 ${status}，父行程的處理函式記下了 SIGCHLD。`,
          )
        : text(
            `Not here: zombie ${zombie}, SIGCHLD noted ${caught}.`,
            `这里不是这样：僵尸 ${zombie}，记下 SIGCHLD ${caught}。`,
            `這裡不是這樣：殭屍 ${zombie}，記下 SIGCHLD ${caught}。`,
          ),
    };
  },
};

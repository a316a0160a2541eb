/**
 * "Signals" (seed 004): a parent catches SIGUSR1, SIGUSR2 and SIGCHLD from
 * its child. SIGUSR2 is caught at once; SIGUSR1, blocked with sigprocmask,
 * stays pending on the process (ShdPnd) until it is unblocked, and two of
 * them make one delivery; the child's exit sends SIGCHLD and leaves a zombie
 * until waitpid. Every handler call writes one byte into the parent's note
 * pipe (the self-pipe trick): the evidence that it ran, read from the kernel.
 * SIGPIPE has its own lesson (pipe-sigpipe).
 */
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { signalsC } from '../programs/signals/signals-program';
import { asynchronous, blockedQuestion, childExitQuestion, notCounted, sigchldZombie, unblockQuestion, usr2Question } from './signals-claims';
import { exitWith, readFd, saveFds, savePid, text, waitFor } from '../step-kit';

export { notesOf } from './signals-claims';

const at = (needle: string, nth = 1) => ({ program: signalsC.file, line: signalsC.line(needle, nth) });

export const SIGUSR1 = 10;
export const SIGUSR2 = 12;
export const SIGCHLD = 17;

const catching = (signal: number) => (v: LessonVars) => ({ signal, handler: 'catch', notifyFd: numberVar(v, 'note1') });
const sending = (signal: number) => (v: LessonVars) => ({ pid: numberVar(v, 'parent'), signal });

const steps: LessonStep[] = [
  {
    role: 'parent',
    op: 'pipe2',
    save: saveFds('note0', 'note1'),
    code: 'pipe2(note, O_CLOEXEC)',
    ...at('pipe2('),
    explain: text(
      'The parent makes a pipe for its handler: each time the handler runs it writes one byte here, so the kernel itself will show how often it ran.',
      '父进程为处理函数准备一个管道：处理函数每运行一次就写一个字节进去，于是内核本身就能显示它运行了几次。',
      '父行程為處理函式準備一個管道：處理函式每執行一次就寫一個位元組進去，於是核心本身就能顯示它執行了幾次。',
    ),
  },
  {
    role: 'parent',
    op: 'spawn-child',
    spawns: 'child',
    save: savePid('child'),
    code: 'pid_t pid = fork();',
    ...at('fork('),
    explain: text('The parent forks the child that will send the signals.', '父进程 fork 出负责发送信号的子进程。', '父行程 fork 出負責傳送訊號的子行程。'),
  },
  {
    id: 'catch-usr1',
    role: 'parent',
    op: 'sigaction',
    args: catching(SIGUSR1),
    code: 'sigaction(SIGUSR1, &sa, NULL);',
    ...at('sigaction(SIGUSR1'),
    explain: text(
      'The parent installs a handler for SIGUSR1. Its default action would end the process; now /proc/PID/status lists it in SigCgt (caught).',
      '父进程为 SIGUSR1 安装处理函数。它的默认动作会终止进程；现在 /proc/PID/status 的 SigCgt（已捕获）里有了它。',
      '父行程為 SIGUSR1 安裝處理函式。它的預設動作會終止行程；現在 /proc/PID/status 的 SigCgt（已捕捉）裡有了它。',
    ),
  },
  {
    role: 'parent',
    op: 'sigaction',
    args: catching(SIGUSR2),
    code: 'sigaction(SIGUSR2, &sa, NULL);',
    ...at('sigaction(SIGUSR2'),
    explain: text('The same handler for SIGUSR2.', '同一个处理函数也用于 SIGUSR2。', '同一個處理函式也用於 SIGUSR2。'),
  },
  {
    role: 'parent',
    op: 'sigaction',
    args: catching(SIGCHLD),
    code: 'sigaction(SIGCHLD, &sa, NULL);',
    ...at('sigaction(SIGCHLD'),
    explain: text(
      'And for SIGCHLD, which the kernel sends a parent when a child ends (its default is to ignore it).',
      '还有 SIGCHLD：子进程结束时内核把它发给父进程（默认动作是忽略）。',
      '還有 SIGCHLD：子行程結束時核心把它發給父行程（預設動作是忽略）。',
    ),
  },
  {
    role: 'child',
    op: 'getppid',
    save: savePid('parent'),
    code: 'pid_t parent = getppid();',
    ...at('getppid('),
    explain: text('The child asks for its parent\'s pid.', '子进程取得父进程的 pid。', '子行程取得父行程的 pid。'),
  },
  {
    id: 'usr2',
    role: 'child',
    op: 'kill',
    args: sending(SIGUSR2),
    code: 'kill(parent, SIGUSR2);',
    ...at('kill(parent, SIGUSR2)'),
    question: usr2Question,
    explain: text(
      'SIGUSR2 is neither blocked nor ignored: the kernel interrupts the parent wherever it is and runs its handler, which notes a "2".',
      'SIGUSR2 既没被阻塞也没被忽略：内核在父进程正在执行的地方打断它，运行处理函数，记下一个 "2"。',
      'SIGUSR2 既沒被阻擋也沒被忽略：核心在父行程正在執行的地方打斷它，執行處理函式，記下一個 "2"。',
    ),
  },
  {
    id: 'block',
    role: 'parent',
    op: 'sigprocmask',
    args: () => ({ how: 'block', signals: [SIGUSR1] }),
    code: 'sigprocmask(SIG_BLOCK, &usr1, NULL);',
    ...at('SIG_BLOCK'),
    explain: text(
      'The parent blocks SIGUSR1: SigBlk now holds it. A blocked signal is not lost; it waits.',
      '父进程阻塞 SIGUSR1：SigBlk 里有了它。被阻塞的信号不会丢失，而是等待。',
      '父行程阻擋 SIGUSR1：SigBlk 裡有了它。被阻擋的訊號不會遺失，而是等待。',
    ),
  },
  {
    id: 'usr1',
    role: 'child',
    op: 'kill',
    args: sending(SIGUSR1),
    code: 'kill(parent, SIGUSR1);',
    ...at('kill(parent, SIGUSR1)', 1),
    question: blockedQuestion,
    explain: text(
      'kill succeeds, but SIGUSR1 is blocked: the kernel sets its bit in the parent\'s ShdPnd (pending for the whole process) and runs nothing.',
      'kill 成功了，但 SIGUSR1 被阻塞：内核在父进程的 ShdPnd（整个进程的未决信号）里置上它的位，什么也不运行。',
      'kill 成功了，但 SIGUSR1 被阻擋：核心在父行程的 ShdPnd（整個行程的擱置訊號）裡設上它的位元，什麼也不執行。',
    ),
  },
  {
    role: 'child',
    op: 'kill',
    args: sending(SIGUSR1),
    code: 'kill(parent, SIGUSR1);',
    ...at('kill(parent, SIGUSR1)', 2),
    explain: text(
      'A second SIGUSR1. The bit is already set, so nothing changes: standard signals are not counted.',
      '第二个 SIGUSR1。那个位已经置上了，所以什么也没变：标准信号不计数。',
      '第二個 SIGUSR1。那個位元已經設上了，所以什麼也沒變：標準訊號不計數。',
    ),
  },
  {
    id: 'child-exit',
    role: 'child',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...at('exit(0)'),
    question: childExitQuestion,
    explain: text(
      'The child exits. The kernel keeps its exit status in a zombie and sends the parent SIGCHLD: the handler notes a "C".',
      '子进程退出。内核把它的退出状态保存在一个僵尸里，并向父进程发送 SIGCHLD：处理函数记下一个 "C"。',
      '子行程結束。核心把它的結束狀態保存在一個殭屍裡，並向父行程傳送 SIGCHLD：處理函式記下一個 "C"。',
    ),
  },
  {
    role: 'parent',
    op: 'waitpid',
    args: waitFor('child'),
    code: 'waitpid(pid, &status, 0);',
    ...at('waitpid('),
    explain: text(
      'waitpid collects the status: the zombie is gone. SIGUSR1 is still blocked, so it is still pending.',
      'waitpid 取走状态：僵尸消失了。SIGUSR1 仍被阻塞，所以仍然未决。',
      'waitpid 取走狀態：殭屍消失了。SIGUSR1 仍被阻擋，所以仍然擱置。',
    ),
  },
  {
    id: 'unblock',
    role: 'parent',
    op: 'sigprocmask',
    args: () => ({ how: 'unblock', signals: [SIGUSR1] }),
    code: 'sigprocmask(SIG_UNBLOCK, &usr1, NULL);',
    ...at('SIG_UNBLOCK'),
    question: unblockQuestion,
    explain: text(
      'Unblocked, the pending SIGUSR1 is delivered before sigprocmask even returns: ShdPnd clears and the handler notes one "1".',
      '解除阻塞后，未决的 SIGUSR1 在 sigprocmask 返回之前就被递送：ShdPnd 清空，处理函数记下一个 "1"。',
      '解除阻擋後，擱置的 SIGUSR1 在 sigprocmask 回傳之前就被遞送：ShdPnd 清空，處理函式記下一個 "1"。',
    ),
  },
  {
    role: 'parent',
    op: 'read',
    args: readFd('note0', 8),
    code: 'ssize_t n = read(note[0], seen, sizeof seen);',
    ...at('read(note[0]'),
    explain: text(
      'The parent reads its notes: "2", "C", "1", in the order the handler ran. Three signal kinds, one handler call each, although four signals were sent to it.',
      '父进程读出它的记录："2"、"C"、"1"，顺序就是处理函数运行的顺序。三种信号，各调用一次处理函数，尽管发给它的信号有四个。',
      '父行程讀出它的記錄："2"、"C"、"1"，順序就是處理函式執行的順序。三種訊號，各呼叫一次處理函式，儘管發給它的訊號有四個。',
    ),
  },
  {
    role: 'parent',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(n > 0 && WIFEXITED(status) ? 0 : 1);',
    ...at('exit(n > 0'),
    explain: text('The parent exits.', '父进程退出。', '父行程結束。'),
  },
];

export const signalsLesson: Lesson = {
  id: 'signals',
  firstRole: 'parent',
  mechanism: 'signal',
  programs: [signalsC],
  title: text('Signals: caught, blocked, pending', '信号：捕获、阻塞与未决', '訊號：捕捉、阻擋與擱置'),
  summary: text(
    'A child sends its parent SIGUSR2 (caught at once) and SIGUSR1 twice while it is blocked: it stays pending in ShdPnd, through the child\'s exit (SIGCHLD, and a zombie until waitpid), until sigprocmask unblocks it; then the handler runs once. SIGPIPE is in the pipe lesson "rule 4".',
    '子进程向父进程发送 SIGUSR2（立即被捕获），又在 SIGUSR1 被阻塞时发送两次：它在 ShdPnd 中一直未决，经过子进程退出（SIGCHLD，以及一个直到 waitpid 才消失的僵尸），直到 sigprocmask 解除阻塞；然后处理函数运行一次。SIGPIPE 见管道课"规则四"。',
    '子行程向父行程傳送 SIGUSR2（立即被捕捉），又在 SIGUSR1 被阻擋時傳送兩次：它在 ShdPnd 中一直擱置，經過子行程結束（SIGCHLD，以及一個直到 waitpid 才消失的殭屍），直到 sigprocmask 解除阻擋；然後處理函式執行一次。SIGPIPE 見管道課「規則四」。',
  ),
  claims: [asynchronous, notCounted, sigchldZombie],
  steps,
};

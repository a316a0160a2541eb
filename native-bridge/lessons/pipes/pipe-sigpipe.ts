/**
 * Rule 4 of pipes: a write when every read end is closed. With SIGPIPE at
 * its default the kernel kills the writer with SIGPIPE (its parent's waitpid
 * shows signal 13); with SIGPIPE ignored the write returns -1, errno EPIPE.
 */
import type { LessonParams } from '../../model/frame-types';
import type { ClaimMeasure, Lesson, LessonClaim, LessonQuestion, LessonStep } from '../lesson-types';
import { pipeSigpipeC as prog } from '../programs/pipe-sigpipe/pipe-sigpipe';
import { exitWith, onFd, saveFds, savePid, text, waitFor, writeFd } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });
const SIGPIPE = 13;

const writeWithoutReader: LessonQuestion = {
  prompt: text(
    'Every read end is closed. The child writes 6 bytes. What happens?',
    '所有读端都已关闭。子进程写入 6 个字节。会发生什么？',
    '所有讀端都已關閉。子行程寫入 6 個位元組。會發生什麼？',
  ),
  choices: [
    { id: 'sigpipe', text: text('The kernel kills the child with SIGPIPE', '内核用 SIGPIPE 杀死子进程', '核心用 SIGPIPE 殺死子行程') },
    { id: 'epipe', text: text('write returns -1, errno EPIPE', 'write 返回 -1，errno 为 EPIPE', 'write 回傳 -1，errno 為 EPIPE') },
    { id: 'blocks', text: text('The child sleeps, waiting for a reader', '子进程睡眠，等待读者', '子行程睡眠，等待讀者') },
    { id: 'writes', text: text('The bytes go into the pipe anyway', '字节照样写进管道', '位元組照樣寫進管道') },
  ],
  async judge(settled) {
    if (settled.status === 'blocked') return { correct: 'blocks', evidence: text('The child sleeps in write.', '子进程睡在 write 中。', '子行程睡在 write 中。') };
    const reply = settled.reply;
    if (reply && reply.result === null) {
      /* dead: the zombie's exit_code (/proc/PID/stat field 52) is the status waitpid will report */
      const status = await settled.zombieStatus('child');
      const signal = status === null ? null : status & 0x7f;
      return {
        correct: signal === SIGPIPE ? 'sigpipe' : 'writes',
        evidence: text(
          `The child is a zombie; /proc/${settled.pidOf('child')}/stat gives its exit status ${status}: killed by signal ${signal} (SIGPIPE is 13).`,
          `子进程成了僵尸；/proc/${settled.pidOf('child')}/stat 给出的退出状态是 ${status}：被信号 ${signal} 杀死（SIGPIPE 是 13）。`,
          `子行程成了殭屍；/proc/${settled.pidOf('child')}/stat 給出的結束狀態是 ${status}：被訊號 ${signal} 殺死（SIGPIPE 是 13）。`,
        ),
      };
    }
    if (reply && reply.result < 0) {
      return {
        correct: 'epipe',
        evidence: text(`write returned -1, errno ${reply.errno}.`, `write 返回 -1，errno 为 ${reply.errno}。`, `write 回傳 -1，errno 為 ${reply.errno}。`),
      };
    }
    return { correct: 'writes', evidence: text(`write returned ${reply?.result}.`, `write 返回 ${reply?.result}。`, `write 回傳 ${reply?.result}。`) };
  },
};

const sigpipeClaim: LessonClaim = {
  id: 'write-no-reader-sigpipe',
  claim: text(
    'The course says a write to a pipe whose read ends are all closed raises SIGPIPE, which normally ends the process.',
    '课程说：向所有读端都已关闭的管道写入，会产生 SIGPIPE，通常导致进程终止。',
    '課程說：向所有讀端都已關閉的管道寫入，會產生 SIGPIPE，通常導致行程終止。',
  ),
  after: 'write',
  async measure(settled): Promise<ClaimMeasure> {
    const reply = settled.reply;
    if (reply && reply.result === null) {
      const status = await settled.zombieStatus('child');
      const signal = status === null ? null : status & 0x7f;
      return {
        holds: signal === SIGPIPE ? 'holds' : 'differs',
        measured: { 'wait status': status ?? -1, signal: signal ?? -1 },
        text: text(
          `It does: the child died in write, killed by signal ${signal} (SIGPIPE).`,
          `确实如此：子进程死在 write 中，被信号 ${signal}（SIGPIPE）杀死。`,
          `確實如此：子行程死在 write 中，被訊號 ${signal}（SIGPIPE）殺死。`,
        ),
      };
    }
    return {
      holds: 'partly',
      measured: { result: reply?.result ?? 0, errno: reply?.errno ?? '' },
      text: text(
        `The kernel still raised SIGPIPE, but this child ignores it, so it lives and write returned ${reply?.result} with errno ${reply?.errno}: "normally" means "unless the program ignores or catches it".`,
        `内核仍然产生了 SIGPIPE，但这个子进程忽略了它，所以它活着，write 返回 ${reply?.result}，errno 为 ${reply?.errno}："通常"的意思是"除非程序忽略或捕获它"。`,
        `核心仍然產生了 SIGPIPE，但這個子行程忽略了它，所以它活著，write 回傳 ${reply?.result}，errno 為 ${reply?.errno}：「通常」的意思是「除非程式忽略或捕捉它」。`,
      ),
    };
  },
};

function steps(ignore: boolean): LessonStep[] {
  return [
    {
      role: 'parent',
      op: 'pipe2',
      save: saveFds('fd0', 'fd1'),
      code: 'pipe2(fd, O_CLOEXEC);',
      ...at('pipe2('),
      explain: text('The parent makes a pipe.', '父进程创建管道。', '父行程建立管道。'),
    },
    {
      role: 'parent',
      op: 'spawn-child',
      spawns: 'child',
      save: savePid('child'),
      code: 'pid = fork();',
      ...at('fork('),
      explain: text('It forks the child that will write.', '它 fork 出负责写的子进程。', '它 fork 出負責寫的子行程。'),
    },
    {
      role: 'child',
      op: 'close',
      args: onFd('fd0'),
      code: 'close(fd[0]);',
      ...at('close(fd[0])', 1),
      explain: text('The child only writes.', '子进程只写。', '子行程只寫。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])'),
      explain: text('The parent does not write.', '父进程不写。', '父行程不寫。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd0'),
      code: 'close(fd[0]);',
      ...at('close(fd[0])', 2),
      explain: text(
        'And it closes its read end too: the pipe has no reader left, anywhere.',
        '它也关闭了读端：管道在任何地方都没有读者了。',
        '它也關閉了讀端：管道在任何地方都沒有讀者了。',
      ),
    },
    ...(ignore
      ? [
          {
            role: 'child',
            op: 'signal',
            args: () => ({ signal: SIGPIPE, handler: 'ignore' }),
            code: 'signal(SIGPIPE, SIG_IGN);',
            ...at('signal(SIGPIPE'),
            explain: text(
              'The child ignores SIGPIPE (its SigIgn mask in /proc/PID/status gains bit 13).',
              '子进程忽略 SIGPIPE（/proc/PID/status 中的 SigIgn 掩码多了第 13 位）。',
              '子行程忽略 SIGPIPE（/proc/PID/status 中的 SigIgn 遮罩多了第 13 位）。',
            ),
          } satisfies LessonStep,
        ]
      : []),
    {
      id: 'write',
      role: 'child',
      op: 'write',
      args: writeFd('fd1', 'hello\n'),
      code: 'n = write(fd[1], "hello\\n", 6);',
      ...at('write(fd[1]'),
      expectFailure: true,
      question: writeWithoutReader,
      explain: ignore
        ? text(
            'Nobody can ever read these bytes. SIGPIPE is ignored, so the write fails instead: -1, errno EPIPE ("Broken pipe").',
            '这些字节永远不会有人读。SIGPIPE 被忽略了，所以 write 改为失败：返回 -1，errno 为 EPIPE（"Broken pipe"）。',
            '這些位元組永遠不會有人讀。SIGPIPE 被忽略了，所以 write 改為失敗：回傳 -1，errno 為 EPIPE（"Broken pipe"）。',
          )
        : text(
            'Nobody can ever read these bytes, so the kernel sends the writer SIGPIPE. Its default action ends the process: the write never returns.',
            '这些字节永远不会有人读，于是内核向写者发送 SIGPIPE。它的默认动作是终止进程：write 永远不会返回。',
            '這些位元組永遠不會有人讀，於是核心向寫者傳送 SIGPIPE。它的預設動作是終止行程：write 永遠不會回傳。',
          ),
    },
    ...(ignore
      ? [
          {
            role: 'child',
            op: 'write',
            syscall: 'write',
            args: () => ({ fd: 2, text: 'write: Broken pipe\n' }),
            code: 'perror("write");',
            ...at('perror('),
            explain: text('perror prints the reason on standard error.', 'perror 在标准错误上打印原因。', 'perror 在標準錯誤上印出原因。'),
          } satisfies LessonStep,
          {
            role: 'child',
            op: 'exit',
            args: exitWith(1),
            code: 'exit(n < 0 ? 1 : 0);',
            ...at('exit(n < 0'),
            explain: text('The child exits with status 1.', '子进程以状态 1 退出。', '子行程以狀態 1 結束。'),
          } satisfies LessonStep,
        ]
      : []),
    {
      role: 'parent',
      op: 'waitpid',
      args: waitFor('child'),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: ignore
        ? text('The parent collects status: exited normally, code 1.', '父进程取得状态：正常退出，退出码 1。', '父行程取得狀態：正常結束，結束碼 1。')
        : text(
            'The parent collects status: WIFSIGNALED, WTERMSIG = 13, SIGPIPE. A shell would print nothing; a pipeline like "yes | head" ends this way every day.',
            '父进程取得状态：WIFSIGNALED，WTERMSIG = 13，即 SIGPIPE。shell 不会打印任何东西；像 "yes | head" 这样的管道线每天都这样结束。',
            '父行程取得狀態：WIFSIGNALED，WTERMSIG = 13，即 SIGPIPE。shell 不會印出任何東西；像 "yes | head" 這樣的管線每天都這樣結束。',
          ),
    },
    {
      role: 'parent',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)'),
      explain: text('The parent exits.', '父进程退出。', '父行程結束。'),
    },
  ];
}

export const pipeSigpipe: Lesson = {
  id: 'pipe-sigpipe',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  title: text('Pipe rule 4: writing with no reader', '管道规则四：没有读者时写入', '管道規則四：沒有讀者時寫入'),
  summary: text(
    'Every read end is closed, and the child writes. By default the kernel kills it with SIGPIPE; with SIGPIPE ignored, write fails with EPIPE. Try both.',
    '所有读端都已关闭，子进程仍然写入。默认情况下内核用 SIGPIPE 杀死它；忽略 SIGPIPE 时，write 以 EPIPE 失败。两种都试试。',
    '所有讀端都已關閉，子行程仍然寫入。預設情況下核心用 SIGPIPE 殺死它；忽略 SIGPIPE 時，write 以 EPIPE 失敗。兩種都試試。',
  ),
  params: [
    {
      name: 'sigpipe',
      kind: 'choice',
      label: text('SIGPIPE in the child', '子进程中的 SIGPIPE', '子行程中的 SIGPIPE'),
      default: 'default',
      choices: [
        { value: 'default', label: text('Default action (terminate)', '默认动作（终止）', '預設動作（終止）') },
        { value: 'ignore', label: text('Ignored (SIG_IGN)', '忽略（SIG_IGN）', '忽略（SIG_IGN）') },
      ],
    },
  ],
  claims: [sigpipeClaim],
  steps: steps(false),
  stepsFor: (params: LessonParams) => steps(params.sigpipe === 'ignore'),
};

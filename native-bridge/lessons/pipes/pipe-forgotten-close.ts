/**
 * The fifth trap: a reader that forgot to close its own write end. Read on
 * an empty pipe sleeps (rule 1) and returns 0 only once every write end is
 * closed (rule 3): the child's own fd[1] is one, so its read never returns,
 * and the parent waits for it forever.
 */
import type { Lesson, LessonClaim, LessonQuestion } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { pipeForgottenCloseC as prog } from '../programs/pipe-forgotten-close/pipe-forgotten-close';
import { onFd, printVar, readFd, saveBytes, saveFds, savePid, text, waitFor, writeFd } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

const eofQuestion: LessonQuestion = {
  prompt: text(
    'The parent has closed its write end and the pipe is empty. What does the child\'s read return?',
    '父进程已关闭写端，管道也空了。子进程的 read 会返回什么？',
    '父行程已關閉寫端，管道也空了。子行程的 read 會回傳什麼？',
  ),
  choices: [
    { id: 'eof', text: text('0: end-of-file', '0：文件结束', '0：檔案結尾') },
    { id: 'blocks', text: text('Nothing: it sleeps', '什么也不返回：它睡眠', '什麼也不回傳：它睡眠') },
  ],
  judge(settled) {
    if (settled.status === 'blocked') {
      const wait = settled.wait('child');
      return {
        correct: 'blocks',
        evidence: text(
          `The child sleeps in read (wchan ${wait?.wchan ?? '?'}): it still holds fd ${numberVar(settled.vars, 'fd1')}, a write end of this very pipe.`,
          `子进程睡在 read 中（wchan ${wait?.wchan ?? '?'}）：它自己还持有 fd ${numberVar(settled.vars, 'fd1')}，正是这个管道的写端。`,
          `子行程睡在 read 中（wchan ${wait?.wchan ?? '?'}）：它自己還持有 fd ${numberVar(settled.vars, 'fd1')}，正是這個管道的寫端。`,
        ),
      };
    }
    return { correct: 'eof', evidence: text(`read returned ${settled.reply?.result}.`, `read 返回 ${settled.reply?.result}。`, `read 回傳 ${settled.reply?.result}。`) };
  },
};

const eofClaim: LessonClaim = {
  id: 'eof-when-writers-closed',
  claim: text(
    'The course says that once the writer closes, the reader gets end-of-file (read returns 0) after the remaining data.',
    '课程说：写者关闭后，读者读完剩余数据就会读到文件结束（read 返回 0）。',
    '課程說：寫者關閉後，讀者讀完剩餘資料就會讀到檔案結尾（read 回傳 0）。',
  ),
  after: 'stuck-read',
  measure(settled) {
    const wait = settled.wait('child');
    const asleep = settled.status === 'blocked';
    return {
      holds: asleep ? 'partly' : 'holds',
      measured: { status: settled.status, wchan: wait?.wchan ?? '', 'forgotten fd': numberVar(settled.vars, 'fd1') },
      text: asleep
        ? text(
            `Only when every write end is closed, the reader's own included: the parent closed its end, yet the child sleeps in read (wchan ${wait?.wchan ?? '?'}) because it still holds fd ${numberVar(settled.vars, 'fd1')}.`,
            `只有当所有写端都关闭时才成立，包括读者自己的：父进程已关闭它的一端，但子进程仍睡在 read 中（wchan ${wait?.wchan ?? '?'}），因为它自己还持有 fd ${numberVar(settled.vars, 'fd1')}。`,
            `只有當所有寫端都關閉時才成立，包括讀者自己的：父行程已關閉它的一端，但子行程仍睡在 read 中（wchan ${wait?.wchan ?? '?'}），因為它自己還持有 fd ${numberVar(settled.vars, 'fd1')}。`,
          )
        : text('read returned 0.', 'read 返回 0。', 'read 回傳 0。'),
    };
  },
};

export const pipeForgottenClose: Lesson = {
  id: 'pipe-forgotten-close',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  claims: [eofClaim],
  title: text('The trap: a reader that forgot to close its write end', '陷阱：忘记关闭写端的读者', '陷阱：忘記關閉寫端的讀者'),
  summary: text(
    'The child reads until end-of-file but never closed its own copy of the write end. The parent finishes and closes; the child sleeps in read forever, and the parent waits for it forever.',
    '子进程一直读到文件结束，却从没关闭自己那份写端。父进程写完并关闭；子进程永远睡在 read 中，父进程也永远等着它。',
    '子行程一直讀到檔案結尾，卻從沒關閉自己那份寫端。父行程寫完並關閉；子行程永遠睡在 read 中，父行程也永遠等著它。',
  ),
  steps: [
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
      explain: text(
        'The child inherits both ends. It should close fd[1] now: it forgets.',
        '子进程继承两端。它本该现在关闭 fd[1]：它忘了。',
        '子行程繼承兩端。它本該現在關閉 fd[1]：它忘了。',
      ),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd0'),
      code: 'close(fd[0]);',
      ...at('close(fd[0])'),
      explain: text('The parent, correctly, closes the end it does not use.', '父进程正确地关闭了自己不用的一端。', '父行程正確地關閉了自己不用的一端。'),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 64),
      save: saveBytes('data'),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]'),
      explain: text(
        'Rule 1: a read on an empty pipe sleeps (wchan anon_pipe_read) while a write end is open.',
        '规则一：只要还有写端开着，对空管道的 read 就会睡眠（wchan 为 anon_pipe_read）。',
        '規則一：只要還有寫端開著，對空管道的 read 就會睡眠（wchan 為 anon_pipe_read）。',
      ),
    },
    {
      role: 'parent',
      op: 'write',
      args: writeFd('fd1', 'data\n'),
      code: 'write(fd[1], "data\\n", 5);',
      ...at('write(fd[1]'),
      explain: text('The parent writes; the child wakes with 5 bytes.', '父进程写入；子进程带着 5 个字节醒来。', '父行程寫入；子行程帶著 5 個位元組醒來。'),
    },
    {
      role: 'child',
      op: 'write',
      args: printVar('data'),
      code: 'write(STDOUT_FILENO, buf, n);',
      ...at('write(STDOUT_FILENO'),
      explain: text('The child prints them.', '子进程把它们打印出来。', '子行程把它們印出來。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])'),
      explain: text(
        'The parent is done and closes its write end. One write end is still open: the child\'s own.',
        '父进程写完了，关闭自己的写端。但还有一个写端开着：子进程自己的。',
        '父行程寫完了，關閉自己的寫端。但還有一個寫端開著：子行程自己的。',
      ),
    },
    {
      id: 'stuck-read',
      role: 'child',
      op: 'read',
      args: readFd('fd0', 64),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]'),
      question: eofQuestion,
      focus: (v) => [
        {
          role: 'child',
          fd: numberVar(v, 'fd1'),
          note: text(
            'The forgotten write end: while the child holds it, its own read can never return 0.',
            '被遗忘的写端：只要子进程还持有它，自己的 read 就永远不会返回 0。',
            '被遺忘的寫端：只要子行程還持有它，自己的 read 就永遠不會回傳 0。',
          ),
        },
      ],
      explain: text(
        'Rule 3 says read returns 0 once every write end is closed. Not every one is: the child holds fd[1] itself, and it is asleep, so it will never write or close it. It sleeps forever.',
        '规则三说：所有写端都关闭后，read 返回 0。但并非全部关闭：子进程自己持有 fd[1]，而它正在睡眠，永远不会写或关闭它。它将永远睡下去。',
        '規則三說：所有寫端都關閉後，read 回傳 0。但並非全部關閉：子行程自己持有 fd[1]，而它正在睡眠，永遠不會寫或關閉它。它將永遠睡下去。',
      ),
    },
    {
      role: 'parent',
      op: 'waitpid',
      args: waitFor('child'),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: text(
        'The parent waits for the child to exit (wchan do_wait): it never will. Both sleep until you stop the lesson. The fix: close(fd[1]) in the child right after fork.',
        '父进程等待子进程退出（wchan 为 do_wait）：它永远不会退出。两者都会一直睡到你停止本课。解决办法：子进程在 fork 之后立刻 close(fd[1])。',
        '父行程等待子行程結束（wchan 為 do_wait）：它永遠不會結束。兩者都會一直睡到你停止本課。解決辦法：子行程在 fork 之後立刻 close(fd[1])。',
      ),
    },
  ],
};

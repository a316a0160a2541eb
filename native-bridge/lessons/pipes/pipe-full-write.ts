/**
 * Rule 2 of pipes: a write to a full pipe sleeps. The parent asks the kernel
 * for the pipe's capacity (F_GETPIPE_SZ), fills all of it in one write (every
 * page-sized slot full), and its next write sleeps in anon_pipe_write until
 * the child reads a page.
 */
import type { Lesson, LessonQuestion } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { pipeCapacityClaim } from './pipe-claims';
import { pipeFullWriteC as prog } from '../programs/pipe-full-write/pipe-full-write';
import { exitWith, onFd, readFd, saveFds, savePid, saveResult, text, waitFor } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

const oneMoreByte: LessonQuestion = {
  prompt: text(
    'The pipe is full. The parent writes one more byte. What happens?',
    '管道已满。父进程再写一个字节。会发生什么？',
    '管道已滿。父行程再寫一個位元組。會發生什麼？',
  ),
  choices: [
    { id: 'blocks', text: text('It sleeps until there is room', '睡眠直到有空间', '睡眠直到有空間') },
    { id: 'returns', text: text('It returns 1 at once', '立刻返回 1', '立刻回傳 1') },
    { id: 'error', text: text('It fails with an error', '出错返回', '出錯回傳') },
  ],
  judge(settled) {
    if (settled.status === 'blocked') {
      const wait = settled.wait('parent');
      const fill = settled.pipeFill('child', numberVar(settled.vars, 'fd0'));
      return {
        correct: 'blocks',
        evidence: text(
          `The parent sleeps in write (wchan ${wait?.wchan ?? '?'}); the pipe holds ${fill?.queued ?? '?'} of ${fill?.capacity ?? '?'} bytes.`,
          `父进程睡在 write 中（wchan ${wait?.wchan ?? '?'}）；管道里有 ${fill?.queued ?? '?'} / ${fill?.capacity ?? '?'} 字节。`,
          `父行程睡在 write 中（wchan ${wait?.wchan ?? '?'}）；管道裡有 ${fill?.queued ?? '?'} / ${fill?.capacity ?? '?'} 位元組。`,
        ),
      };
    }
    const n = settled.reply?.result ?? -1;
    return n >= 0
      ? { correct: 'returns', evidence: text(`write() returned ${n}.`, `write() 返回 ${n}。`, `write() 回傳 ${n}。`) }
      : { correct: 'error', evidence: text(`write() failed: ${settled.reply?.errno ?? '?'}.`, `write() 失败：${settled.reply?.errno ?? '?'}。`, `write() 失敗：${settled.reply?.errno ?? '?'}。`) };
  },
};

export const pipeFullWrite: Lesson = {
  id: 'pipe-full-write',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  title: text('Pipe rule 2: a write to a full pipe sleeps', '管道规则二：写满的管道会让写者睡眠', '管道規則二：寫滿的管道會讓寫者睡眠'),
  summary: text(
    'The parent asks the kernel how big the pipe is, fills every slot of it, and writes one byte more: it sleeps in write until the child reads a page.',
    '父进程向内核询问管道有多大，填满它的每一个槽，再多写一个字节：它会睡在 write 中，直到子进程读走一页。',
    '父行程向核心詢問管道有多大，填滿它的每一個槽，再多寫一個位元組：它會睡在 write 中，直到子行程讀走一頁。',
  ),
  claims: [pipeCapacityClaim('size', 'child', 'fd0')],
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
      explain: text('It forks the child that will read.', '它 fork 出负责读的子进程。', '它 fork 出負責讀的子行程。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd0'),
      code: 'close(fd[0]);',
      ...at('close(fd[0])'),
      explain: text('The parent only writes.', '父进程只写。', '父行程只寫。'),
    },
    {
      role: 'child',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 1),
      explain: text('The child only reads.', '子进程只读。', '子行程只讀。'),
    },
    {
      id: 'size',
      role: 'parent',
      op: 'get-pipe-size',
      syscall: 'fcntl',
      args: onFd('fd1'),
      save: saveResult('capacity'),
      code: 'size = fcntl(fd[1], F_GETPIPE_SZ);',
      ...at('fcntl(fd[1], F_GETPIPE_SZ)'),
      explain: text(
        'The parent asks the kernel for the pipe\'s capacity: F_GETPIPE_SZ. The kernel keeps a pipe as a ring of page-sized slots; 16 pages of 4096 bytes by default.',
        '父进程用 F_GETPIPE_SZ 向内核询问管道容量。内核把管道组织成一圈页大小的槽；默认是 16 个 4096 字节的页。',
        '父行程用 F_GETPIPE_SZ 向核心詢問管道容量。核心把管道組織成一圈頁大小的槽；預設是 16 個 4096 位元組的頁。',
      ),
    },
    {
      role: 'parent',
      op: 'write-fill',
      syscall: 'write',
      args: (v) => ({ fd: numberVar(v, 'fd1'), count: numberVar(v, 'capacity') }),
      code: 'n = write(fd[1], block, size);',
      ...at('write(fd[1], block'),
      explain: text(
        'One write of exactly the capacity. Nobody reads yet, and the write still returns at once: every slot is now full.',
        '一次写入，大小正好等于容量。还没有人读，但写入立刻返回：现在每个槽都满了。',
        '一次寫入，大小正好等於容量。還沒有人讀，但寫入立刻回傳：現在每個槽都滿了。',
      ),
    },
    {
      role: 'parent',
      op: 'write',
      args: (v) => ({ fd: numberVar(v, 'fd1'), text: '!' }),
      code: 'write(fd[1], "!", 1);',
      ...at('write(fd[1], "!"'),
      question: oneMoreByte,
      explain: text(
        'One byte more. There is no free slot, so the kernel puts the parent to sleep inside write (wchan anon_pipe_write).',
        '再多一个字节。没有空槽了，内核让父进程在 write 里睡眠（wchan 为 anon_pipe_write）。',
        '再多一個位元組。沒有空槽了，核心讓父行程在 write 裡睡眠（wchan 為 anon_pipe_write）。',
      ),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 4096),
      code: 'n = read(fd[0], buf, 4096);',
      ...at('read(fd[0], buf, 4096)'),
      explain: text(
        'The child reads one page. A slot is free: the kernel wakes the parent, and its write of "!" returns 1.',
        '子进程读走一页。空出一个槽：内核唤醒父进程，它写 "!" 的 write 返回 1。',
        '子行程讀走一頁。空出一個槽：核心喚醒父行程，它寫 "!" 的 write 回傳 1。',
      ),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 2),
      explain: text(
        'The parent closes its write end. The bytes already in the pipe stay there for the reader.',
        '父进程关闭写端。已在管道里的字节仍留给读者。',
        '父行程關閉寫端。已在管道裡的位元組仍留給讀者。',
      ),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 65536),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0], buf, sizeof buf)', 1),
      explain: text('The child reads what is left.', '子进程读走剩下的内容。', '子行程讀走剩下的內容。'),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 65536),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0], buf, sizeof buf)', 2),
      explain: text(
        'Empty, and no write end open anywhere: read returns 0 at once (rule 3).',
        '管道空了，且任何地方都没有打开的写端：read 立刻返回 0（规则三）。',
        '管道空了，且任何地方都沒有開著的寫端：read 立刻回傳 0（規則三）。',
      ),
    },
    {
      role: 'child',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(n == 0 ? 0 : 1);',
      ...at('exit(n == 0'),
      explain: text('The child exits.', '子进程退出。', '子行程結束。'),
    },
    {
      role: 'parent',
      op: 'waitpid',
      args: waitFor('child'),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: text('The parent collects the child\'s status.', '父进程取走子进程的退出状态。', '父行程取走子行程的結束狀態。'),
    },
    {
      role: 'parent',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)'),
      explain: text('The parent exits.', '父进程退出。', '父行程結束。'),
    },
  ],
};

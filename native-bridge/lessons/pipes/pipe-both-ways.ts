/**
 * "One pipe used both ways": parent and child both keep both ends. The
 * learner picks the order. Lucky: the child pauses before reading, the parent
 * takes its "ping" and answers "pong". Unlucky: the child reads right after
 * writing and takes back its own "ping"; the parent then sleeps in read
 * forever, because it holds a write end itself and will never write.
 */
import type { LessonParams } from '../../model/frame-types';
import { numberVar, type Lesson, type LessonQuestion, type LessonStep } from '../lesson-types';
import { pipeCapacityClaim } from './pipe-claims';
import { pipeBothWaysC as prog } from '../programs/pipe-both-ways/pipe-both-ways';
import { exitWith, printVar, readFd, saveBytes, saveFds, savePid, text, waitFor, writeFd } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

const parentReadQuestion: LessonQuestion = {
  prompt: text(
    'The parent now calls read() on the pipe. What happens?',
    '父进程现在对管道调用 read()。会发生什么？',
    '父行程現在對管道呼叫 read()。會發生什麼？',
  ),
  choices: [
    { id: 'message', text: text('It returns the child\'s "ping"', '返回子进程的 "ping"', '回傳子行程的 "ping"') },
    { id: 'blocks', text: text('It sleeps: the pipe is empty', '睡眠：管道是空的', '睡眠：管道是空的') },
    { id: 'eof', text: text('It returns 0 (end of file)', '返回 0（文件结束）', '回傳 0（檔案結尾）') },
  ],
  judge(settled) {
    const wait = settled.wait('parent');
    if (settled.status === 'blocked') {
      return {
        correct: 'blocks',
        evidence: text(
          `The kernel shows the parent asleep in read (wchan ${wait?.wchan ?? '?'}, syscall ${wait?.syscallNr ?? '?'}): the child already took the only bytes.`,
          `内核显示父进程睡在 read 中（wchan ${wait?.wchan ?? '?'}，系统调用 ${wait?.syscallNr ?? '?'}）：唯一的字节已被子进程取走。`,
          `核心顯示父行程睡在 read 中（wchan ${wait?.wchan ?? '?'}，系統呼叫 ${wait?.syscallNr ?? '?'}）：唯一的位元組已被子行程取走。`,
        ),
      };
    }
    const n = settled.reply?.result ?? null;
    return n === 0
      ? { correct: 'eof', evidence: text('read() returned 0.', 'read() 返回 0。', 'read() 回傳 0。') }
      : {
          correct: 'message',
          evidence: text(`read() returned ${n}: the child's bytes.`, `read() 返回 ${n}：子进程的字节。`, `read() 回傳 ${n}：子行程的位元組。`),
        };
  },
};

const childReadQuestion: LessonQuestion = {
  prompt: text(
    'The child reads right after writing "ping", before the parent has read anything. What does it get?',
    '子进程写完 "ping" 后立刻读取，此时父进程还没读。它会得到什么？',
    '子行程寫完 "ping" 後立刻讀取，此時父行程還沒讀。它會得到什麼？',
  ),
  choices: [
    { id: 'own', text: text('Its own "ping" back', '它自己的 "ping"', '它自己的 "ping"') },
    { id: 'blocks', text: text('Nothing: it sleeps until the parent answers', '什么也没有：睡眠直到父进程回答', '什麼也沒有：睡眠直到父行程回答') },
  ],
  judge(settled) {
    const bytes = typeof settled.reply?.data?.bytes === 'string' ? Buffer.from(settled.reply.data.bytes, 'base64').toString() : '';
    if (settled.status === 'blocked') {
      return { correct: 'blocks', evidence: text('The child sleeps in read.', '子进程睡在 read 中。', '子行程睡在 read 中。') };
    }
    return {
      correct: 'own',
      evidence: text(
        `read() returned ${settled.reply?.result ?? '?'} bytes: ${JSON.stringify(bytes)}. A pipe does not know who wrote: the first reader takes the bytes.`,
        `read() 返回 ${settled.reply?.result ?? '?'} 个字节：${JSON.stringify(bytes)}。管道不记得是谁写的：先读的人拿走字节。`,
        `read() 回傳 ${settled.reply?.result ?? '?'} 個位元組：${JSON.stringify(bytes)}。管道不記得是誰寫的：先讀的人拿走位元組。`,
      ),
    };
  },
};

const start: LessonStep[] = [
  {
    id: 'pipe',
    role: 'parent',
    op: 'pipe2',
    save: saveFds('fd0', 'fd1'),
    code: 'pipe2(fd, O_CLOEXEC);',
    ...at('pipe2('),
    explain: text(
      'The parent makes one pipe. It means to use it both ways, so nobody will close an end.',
      '父进程创建一个管道，打算双向使用，所以谁都不会关闭任何一端。',
      '父行程建立一個管道，打算雙向使用，所以誰都不會關閉任何一端。',
    ),
  },
  {
    role: 'parent',
    op: 'spawn-child',
    spawns: 'child',
    save: savePid('child'),
    code: 'pid = fork();',
    ...at('fork('),
    explain: text(
      'The child inherits both ends. Now two processes can read and two can write the same pipe.',
      '子进程继承两端。现在两个进程都能读、也都能写同一个管道。',
      '子行程繼承兩端。現在兩個行程都能讀、也都能寫同一個管道。',
    ),
  },
  {
    role: 'child',
    op: 'write',
    args: writeFd('fd1', 'ping\n'),
    code: 'write(fd[1], "ping\\n", 5);',
    ...at('write(fd[1], "ping'),
    explain: text(
      'The child writes "ping". The 5 bytes wait in the pipe; they carry no sender and no addressee.',
      '子进程写入 "ping"。这 5 个字节在管道里等待；它们不带发送者，也不带接收者。',
      '子行程寫入 "ping"。這 5 個位元組在管道裡等待；它們不帶傳送者，也不帶接收者。',
    ),
  },
];

function lucky(): LessonStep[] {
  return [
    ...start,
    {
      role: 'child',
      op: 'sleep',
      args: () => ({ ms: 1000 }),
      code: 'sleep(1);',
      ...at('sleep(1)'),
      explain: text(
        'Lucky order: the child pauses for a second before reading, asleep in clock_nanosleep. That gives the parent time to read first.',
        '幸运的顺序：子进程在读之前停顿一秒，睡在 clock_nanosleep 中，让父进程有时间先读。',
        '幸運的順序：子行程在讀之前停頓一秒，睡在 clock_nanosleep 中，讓父行程有時間先讀。',
      ),
    },
    {
      role: 'parent',
      op: 'read',
      args: readFd('fd0', 64),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]', 2),
      question: parentReadQuestion,
      explain: text(
        'The parent reads and gets "ping": it came first.',
        '父进程读取并得到 "ping"：它先到。',
        '父行程讀取並得到 "ping"：它先到。',
      ),
    },
    {
      role: 'parent',
      op: 'write',
      args: writeFd('fd1', 'pong\n'),
      code: 'write(fd[1], "pong\\n", 5);',
      ...at('write(fd[1], "pong'),
      explain: text('The parent answers "pong" into the same pipe.', '父进程把 "pong" 写回同一个管道。', '父行程把 "pong" 寫回同一個管道。'),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 64),
      save: saveBytes('reply'),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]', 1),
      explain: text(
        'When its pause ends the child reads and gets "pong". It worked, but only because of the timing.',
        '停顿结束后子进程读取并得到 "pong"。成功了，但只是因为时机凑巧。',
        '停頓結束後子行程讀取並得到 "pong"。成功了，但只是因為時機湊巧。',
      ),
    },
    {
      role: 'child',
      op: 'write',
      args: printVar('reply'),
      code: 'write(STDOUT_FILENO, buf, n);',
      ...at('write(STDOUT_FILENO'),
      explain: text('The child prints the reply.', '子进程打印回复。', '子行程印出回覆。'),
    },
    {
      role: 'child',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 1),
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
      ...at('exit(0)', 2),
      explain: text('The parent exits; the pipe is freed.', '父进程退出；管道被释放。', '父行程結束；管道被釋放。'),
    },
  ];
}

function unlucky(): LessonStep[] {
  return [
    ...start,
    {
      role: 'child',
      op: 'read',
      args: readFd('fd0', 64),
      save: saveBytes('reply'),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]', 1),
      question: childReadQuestion,
      explain: text(
        'Unlucky order: the child runs on without a pause and reads at once. The pipe holds "ping", so the child takes back its own message.',
        '不幸的顺序：子进程没有停顿，立刻读取。管道里有 "ping"，于是子进程把自己的消息读了回来。',
        '不幸的順序：子行程沒有停頓，立刻讀取。管道裡有 "ping"，於是子行程把自己的訊息讀了回來。',
      ),
    },
    {
      role: 'child',
      op: 'write',
      args: printVar('reply'),
      code: 'write(STDOUT_FILENO, buf, n);',
      ...at('write(STDOUT_FILENO'),
      explain: text('The child prints "ping": its own words.', '子进程打印出 "ping"：它自己的话。', '子行程印出 "ping"：它自己的話。'),
    },
    {
      role: 'parent',
      op: 'read',
      args: readFd('fd0', 64),
      code: 'n = read(fd[0], buf, sizeof buf);',
      ...at('read(fd[0]', 2),
      question: parentReadQuestion,
      focus: (v) => [
        {
          role: 'parent',
          fd: numberVar(v, 'fd0'),
          note: text(
            'Asleep here: the only bytes it waited for were taken by the child.',
            '睡在这里：它等待的唯一字节已被子进程取走。',
            '睡在這裡：它等待的唯一位元組已被子行程取走。',
          ),
        },
        {
          role: 'parent',
          fd: numberVar(v, 'fd1'),
          note: text(
            'Its own write end: while it is open, read() cannot return 0.',
            '它自己的写端：只要它开着，read() 就不会返回 0。',
            '它自己的寫端：只要它開著，read() 就不會回傳 0。',
          ),
        },
      ],
      explain: text(
        'The parent reads. The pipe is empty: the child took the only bytes. The parent sleeps in read, and nobody will write again while both still hold a write end.',
        '父进程读取。管道是空的：唯一的字节已被子进程拿走。父进程睡在 read 中；两个进程都还持有写端，却再也没有人会写。',
        '父行程讀取。管道是空的：唯一的位元組已被子行程拿走。父行程睡在 read 中；兩個行程都還持有寫端，卻再也沒有人會寫。',
      ),
    },
    {
      role: 'child',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 1),
      explain: text(
        'The child exits, closing its ends. The parent still sleeps: its own fd[1] is a write end, so the kernel cannot give it end-of-file. It would wait forever; stop the lesson to end it. The fix is the next lesson: two pipes.',
        '子进程退出，关闭了它的两端。父进程仍在睡眠：它自己的 fd[1] 就是写端，内核无法给它文件结束。它会永远等下去；停止本课即可结束它。解决办法见下一课：两个管道。',
        '子行程結束，關閉了它的兩端。父行程仍在睡眠：它自己的 fd[1] 就是寫端，核心無法給它檔案結尾。它會永遠等下去；停止本課即可結束它。解決辦法見下一課：兩個管道。',
      ),
    },
  ];
}

export const pipeBothWays: Lesson = {
  id: 'pipe-both-ways',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  title: text('One pipe used both ways', '一个管道双向使用', '一個管道雙向使用'),
  summary: text(
    'Parent and child both keep both ends of one pipe and try to talk back and forth. Choose the order: in one the reply arrives, in the other the child reads back its own message and the parent sleeps in read forever.',
    '父子进程都保留同一管道的两端，想来回对话。选择顺序：一种顺序下回复顺利到达；另一种顺序下子进程读回自己的消息，父进程永远睡在 read 中。',
    '父子行程都保留同一管道的兩端，想來回對話。選擇順序：一種順序下回覆順利到達；另一種順序下子行程讀回自己的訊息，父行程永遠睡在 read 中。',
  ),
  params: [
    {
      name: 'order',
      kind: 'choice',
      label: text('Order', '顺序', '順序'),
      default: 'lucky',
      choices: [
        { value: 'lucky', label: text('Lucky: the child pauses before reading', '幸运：子进程读之前先停顿', '幸運：子行程讀之前先停頓') },
        { value: 'unlucky', label: text('Unlucky: the child reads at once', '不幸：子进程立刻读取', '不幸：子行程立刻讀取') },
      ],
    },
  ],
  steps: lucky(),
  stepsFor: (params: LessonParams) => (params.order === 'unlucky' ? unlucky() : lucky()),
  claims: [pipeCapacityClaim('pipe')],
};

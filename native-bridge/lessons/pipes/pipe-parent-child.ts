/**
 * "A pipe from parent to child": the classic pipe(); fork(); close the unused
 * ends; write in the parent, read in the child; EOF when the writer closes.
 * Every step is one real syscall of one real process.
 */
import { numberVar, type Lesson } from '../lesson-types';
import { pipeParentChildC as prog } from '../programs/pipe-parent-child/pipe-parent-child';
import { pipeCapacityClaim } from './pipe-claims';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

const HELLO = 'hello world\n';

export const pipeParentChild: Lesson = {
  id: 'pipe-parent-child',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  claims: [pipeCapacityClaim('pipe')],
  title: {
    en: 'A pipe from parent to child',
    'zh-Hans': '从父进程到子进程的管道',
    'zh-Hant': '從父行程到子行程的管道',
  },
  summary: {
    en: 'A parent creates a pipe, forks a child, and sends it one line. Watch the child sleep in read() until bytes arrive, and see EOF when the last writer closes: pipe rules 1 and 3.',
    'zh-Hans': '父进程创建管道，fork 出子进程，再发给它一行文字。观察子进程在 read() 中睡眠直到数据到达，以及最后一个写端关闭后读到 EOF：管道规则一和规则三。',
    'zh-Hant': '父行程建立管道，fork 出子行程，再傳給它一行文字。觀察子行程在 read() 中睡眠直到資料到達，以及最後一個寫端關閉後讀到 EOF：管道規則一和規則三。',
  },
  steps: [
    {
      id: 'pipe',
      role: 'parent',
      op: 'pipe2',
      save: (reply, vars) => {
        const fds = reply.data?.fds;
        if (Array.isArray(fds)) [vars.fd0, vars.fd1] = [fds[0]!, fds[1]!];
      },
      code: 'pipe2(fd, O_CLOEXEC);',
      ...at('pipe2('),
      explain: {
        en: 'The kernel creates a pipe: a small buffer inside the kernel (64 KiB by default) with a read end and a write end. The parent gets two descriptors: fd[0] to read from it, fd[1] to write into it. Nothing is queued yet.',
        'zh-Hans': '内核创建一个管道：位于内核中的一小块缓冲区（默认 64 KiB），有读端和写端。父进程得到两个描述符：fd[0] 用来读，fd[1] 用来写。此时管道里还没有数据。',
        'zh-Hant': '核心建立一個管道：位於核心中的一小塊緩衝區（預設 64 KiB），有讀端和寫端。父行程得到兩個描述符：fd[0] 用來讀，fd[1] 用來寫。此時管道裡還沒有資料。',
      },
    },
    {
      role: 'parent',
      op: 'spawn-child',
      spawns: 'child',
      save: (reply, vars) => {
        vars.child = reply.result;
      },
      code: 'pid = fork();',
      ...at('fork('),
      explain: {
        en: 'The parent starts a child process. The child inherits the parent\'s open descriptors, so it holds the same pipe at the same numbers fd[0] and fd[1]. (ipcscope starts the child with posix_spawn and asks it to keep both pipe descriptors: the result is what fork gives you.) The pipe now has two readers and two writers.',
        'zh-Hans': '父进程创建一个子进程。子进程继承父进程打开的描述符，所以它以相同的编号 fd[0] 和 fd[1] 持有同一个管道。（ipcscope 用 posix_spawn 启动子进程，并让它保留这两个管道描述符，结果与 fork 相同。）现在管道有两个读者和两个写者。',
        'zh-Hant': '父行程建立一個子行程。子行程繼承父行程開啟的描述符，所以它以相同的編號 fd[0] 和 fd[1] 持有同一個管道。（ipcscope 用 posix_spawn 啟動子行程，並讓它保留這兩個管道描述符，結果與 fork 相同。）現在管道有兩個讀者和兩個寫者。',
      },
    },
    {
      role: 'parent',
      op: 'close',
      args: (v) => ({ fd: numberVar(v, 'fd0') }),
      code: 'close(fd[0]);',
      ...at('close(fd[0])'),
      explain: {
        en: 'The parent only writes, so it closes its read end. The pipe itself lives on: the child still holds a read end.',
        'zh-Hans': '父进程只负责写，所以关闭自己的读端。管道本身仍然存在：子进程还持有一个读端。',
        'zh-Hant': '父行程只負責寫，所以關閉自己的讀端。管道本身仍然存在：子行程還持有一個讀端。',
      },
    },
    {
      role: 'child',
      op: 'close',
      args: (v) => ({ fd: numberVar(v, 'fd1') }),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 1),
      explain: {
        en: 'The child only reads, so it closes its write end. Now data can flow one way only: parent to child. This close matters: as long as any write end stays open, a reader never sees end-of-file.',
        'zh-Hans': '子进程只负责读，所以关闭自己的写端。现在数据只能单向流动：从父进程到子进程。这次关闭很重要：只要还有任何一个写端开着，读者就永远读不到文件结束（EOF）。',
        'zh-Hant': '子行程只負責讀，所以關閉自己的寫端。現在資料只能單向流動：從父行程到子行程。這次關閉很重要：只要還有任何一個寫端開著，讀者就永遠讀不到檔案結尾（EOF）。',
      },
    },
    {
      role: 'child',
      op: 'read',
      args: (v) => ({ fd: numberVar(v, 'fd0'), count: 64 }),
      save: (reply, vars) => {
        if (typeof reply.data?.bytes === 'string') vars.received = reply.data.bytes;
      },
      code: 'n = read(fd[0], buf, 64);',
      ...at('read(fd[0]', 1),
      explain: {
        en: 'The child asks for up to 64 bytes. The pipe is empty, so the kernel puts the child to sleep inside read() (wchan anon_pipe_read). It uses no CPU; it waits until someone writes.',
        'zh-Hans': '子进程请求最多 64 个字节。管道是空的，于是内核让子进程在 read() 里睡眠（wchan 为 anon_pipe_read）。它不占用 CPU，一直等到有人写入。',
        'zh-Hant': '子行程請求最多 64 個位元組。管道是空的，於是核心讓子行程在 read() 裡睡眠（wchan 為 anon_pipe_read）。它不佔用 CPU，一直等到有人寫入。',
      },
    },
    {
      role: 'parent',
      op: 'write',
      args: (v) => ({ fd: numberVar(v, 'fd1'), text: HELLO }),
      code: 'write(fd[1], "hello world\\n", 12);',
      ...at('write(fd[1]'),
      explain: {
        en: 'The parent writes 12 bytes into the pipe. The kernel copies them into the pipe buffer and wakes the sleeping reader: the child\'s read() returns 12.',
        'zh-Hans': '父进程向管道写入 12 个字节。内核把它们复制进管道缓冲区，并唤醒正在睡眠的读者：子进程的 read() 返回 12。',
        'zh-Hant': '父行程向管道寫入 12 個位元組。核心把它們複製進管道緩衝區，並喚醒正在睡眠的讀者：子行程的 read() 回傳 12。',
      },
    },
    {
      role: 'child',
      op: 'write',
      args: (v) => ({ fd: 1, data: typeof v.received === 'string' ? v.received : '' }),
      code: 'write(STDOUT_FILENO, buf, n);',
      ...at('write(STDOUT_FILENO'),
      explain: {
        en: 'The child prints what it received on its standard output (descriptor 1). The bytes crossed from one process to another only through the kernel.',
        'zh-Hans': '子进程把收到的内容写到标准输出（描述符 1）。这些字节从一个进程到另一个进程，只经过了内核。',
        'zh-Hant': '子行程把收到的內容寫到標準輸出（描述符 1）。這些位元組從一個行程到另一個行程，只經過了核心。',
      },
    },
    {
      role: 'child',
      op: 'read',
      args: (v) => ({ fd: numberVar(v, 'fd0'), count: 64 }),
      code: 'n = read(fd[0], buf, 64);',
      ...at('read(fd[0]', 2),
      explain: {
        en: 'The child reads again. The pipe is empty but the parent still holds the write end, so more data could come: the child sleeps in read() again.',
        'zh-Hans': '子进程再次读取。管道是空的，但父进程仍持有写端，之后可能还有数据：子进程再次在 read() 里睡眠。',
        'zh-Hant': '子行程再次讀取。管道是空的，但父行程仍持有寫端，之後可能還有資料：子行程再次在 read() 裡睡眠。',
      },
    },
    {
      role: 'parent',
      op: 'close',
      args: (v) => ({ fd: numberVar(v, 'fd1') }),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 2),
      explain: {
        en: 'The parent closes the last write end. No one can write any more, so the kernel wakes the reader and its read() returns 0: end-of-file.',
        'zh-Hans': '父进程关闭最后一个写端。再也没有人能写入，于是内核唤醒读者，它的 read() 返回 0，也就是文件结束（EOF）。',
        'zh-Hant': '父行程關閉最後一個寫端。再也沒有人能寫入，於是核心喚醒讀者，它的 read() 回傳 0，也就是檔案結尾（EOF）。',
      },
    },
    {
      role: 'child',
      op: 'exit',
      args: () => ({ code: 0 }),
      code: 'exit(0);',
      ...at('exit(0)', 1),
      explain: {
        en: 'The child exits. The kernel closes its descriptors, and the pipe, with no holder left, is freed. The child stays a zombie until its parent collects its exit status.',
        'zh-Hans': '子进程退出。内核关闭它的描述符；管道不再有任何持有者，随之被释放。子进程会保持僵尸状态，直到父进程取走它的退出状态。',
        'zh-Hant': '子行程結束。核心關閉它的描述符；管道不再有任何持有者，隨之被釋放。子行程會保持殭屍狀態，直到父行程取走它的結束狀態。',
      },
    },
    {
      role: 'parent',
      op: 'waitpid',
      args: (v) => ({ pid: numberVar(v, 'child') }),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: {
        en: 'The parent collects the child\'s exit status (0). Only now does the zombie disappear from the process table.',
        'zh-Hans': '父进程取走子进程的退出状态（0）。直到这时，僵尸进程才从进程表中消失。',
        'zh-Hant': '父行程取走子行程的結束狀態（0）。直到這時，殭屍行程才從行程表中消失。',
      },
    },
    {
      role: 'parent',
      op: 'exit',
      args: () => ({ code: 0 }),
      code: 'exit(0);',
      ...at('exit(0)', 2),
      explain: {
        en: 'The parent exits too. Every process and kernel object of this lesson is gone.',
        'zh-Hans': '父进程也退出了。本课的所有进程和内核对象都已不复存在。',
        'zh-Hant': '父行程也結束了。本課的所有行程和核心物件都已不復存在。',
      },
    },
  ],
};

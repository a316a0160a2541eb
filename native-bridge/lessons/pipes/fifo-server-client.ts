/**
 * "A FIFO server and client": two processes the engine starts separately
 * (neither is the other's ancestor) meet at a named pipe. The server makes
 * the FIFO in the lesson's private directory, its open() for reading sleeps
 * (wchan wait_for_partner) until the client opens for writing, it prints
 * what the client writes, sees end-of-file when the client closes, and
 * removes the name.
 */
import { readFileSync } from 'node:fs';
import type { Lesson, LessonClaim, LessonQuestion, LessonStep } from '../lesson-types';
import { stringVar } from '../lesson-types';
import { fifoClientC, fifoServerC } from '../programs/fifo-server-client/fifo-programs';
import { exitWith, onFd, printVar, readFd, saveBytes, saveResult, text, writeFd } from '../step-kit';

const server = (needle: string, nth = 1) => ({ program: fifoServerC.file, line: fifoServerC.line(needle, nth) });
const client = (needle: string, nth = 1) => ({ program: fifoClientC.file, line: fifoClientC.line(needle, nth) });
const fifoPath = (v: Record<string, number | string>) => ({ path: `${stringVar(v, 'dir')}/demo.fifo` });

function ppidOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return null;
  }
}

const noDataOnDisk: LessonClaim = {
  id: 'fifo-no-disk-data',
  claim: text(
    'The course says a FIFO is a file on disk that holds no data there: its bytes pass through the kernel.',
    '课程说 FIFO 是磁盘上的一个文件，但数据并不存放在磁盘上：字节经由内核传递。',
    '課程說 FIFO 是磁碟上的一個檔案，但資料並不存放在磁碟上：位元組經由核心傳遞。',
  ),
  after: 'stat',
  measure(settled) {
    const data = settled.reply?.data ?? {};
    const { type, size, blocks } = data;
    const holds = type === 'p' && size === 0 && blocks === 0 ? 'holds' : 'differs';
    return {
      holds,
      measured: { type: String(type), st_size: Number(size), st_blocks: Number(blocks) },
      text: text(
        `stat() says: type ${String(type)} (a FIFO), st_size ${String(size)}, st_blocks ${String(blocks)}. The name is on the file system; no data block is ever allocated.`,
        `stat() 显示：类型 ${String(type)}（FIFO），st_size ${String(size)}，st_blocks ${String(blocks)}。名字在文件系统里；从不分配数据块。`,
        `stat() 顯示：類型 ${String(type)}（FIFO），st_size ${String(size)}，st_blocks ${String(blocks)}。名字在檔案系統裡；從不配置資料塊。`,
      ),
    };
  },
};

const relatedOnly: LessonClaim = {
  id: 'pipes-related-only',
  claim: text(
    'The course says pipes only work between related processes (a parent and its children).',
    '课程说管道只能用于有亲缘关系的进程之间（父进程和它的子进程）。',
    '課程說管道只能用於有親緣關係的行程之間（父行程和它的子行程）。',
  ),
  after: 'client-open',
  measure(settled) {
    const [s, c] = [settled.pidOf('server'), settled.pidOf('client')];
    const [sp, cp] = [ppidOf(s), ppidOf(c)];
    const unrelated = s !== undefined && c !== undefined && sp !== c && cp !== s;
    return {
      holds: unrelated ? 'partly' : 'holds',
      measured: { server: s ?? 0, 'server PPid': sp ?? 0, client: c ?? 0, 'client PPid': cp ?? 0 },
      text: text(
        `True of an anonymous pipe, which has no name: a process gets it by inheriting it (or by being sent the descriptor over a Unix socket). A FIFO has a name: here server ${s} (parent ${sp}) and client ${c} (parent ${cp}), neither the other's ancestor, share one.`,
        `对匿名管道成立，因为它没有名字：进程只能通过继承得到它（或通过 Unix 套接字接收描述符）。FIFO 有名字：这里服务器 ${s}（父进程 ${sp}）和客户端 ${c}（父进程 ${cp}）互不为祖先，却共用一个 FIFO。`,
        `對匿名管道成立，因為它沒有名字：行程只能透過繼承得到它（或透過 Unix 通訊端接收描述符）。FIFO 有名字：這裡伺服器 ${s}（父行程 ${sp}）和用戶端 ${c}（父行程 ${cp}）互不為祖先，卻共用一個 FIFO。`,
      ),
    };
  },
};

const openQuestion: LessonQuestion = {
  prompt: text(
    'Nobody has opened the FIFO for writing yet. What does the server\'s open(O_RDONLY) do?',
    '还没有人以写方式打开这个 FIFO。服务器的 open(O_RDONLY) 会怎样？',
    '還沒有人以寫方式開啟這個 FIFO。伺服器的 open(O_RDONLY) 會怎樣？',
  ),
  choices: [
    { id: 'blocks', text: text('It sleeps until a writer opens', '睡眠直到有写者打开', '睡眠直到有寫者開啟') },
    { id: 'returns', text: text('It returns a descriptor at once', '立刻返回一个描述符', '立刻回傳一個描述符') },
    { id: 'error', text: text('It fails: no writer', '失败：没有写者', '失敗：沒有寫者') },
  ],
  judge(settled) {
    if (settled.status === 'blocked') {
      const wait = settled.wait('server');
      return {
        correct: 'blocks',
        evidence: text(
          `The server sleeps in openat (syscall ${wait?.syscallNr ?? '?'}), wchan ${wait?.wchan ?? '?'}: it waits for a partner.`,
          `服务器睡在 openat 中（系统调用 ${wait?.syscallNr ?? '?'}），wchan 为 ${wait?.wchan ?? '?'}：它在等待另一端。`,
          `伺服器睡在 openat 中（系統呼叫 ${wait?.syscallNr ?? '?'}），wchan 為 ${wait?.wchan ?? '?'}：它在等待另一端。`,
        ),
      };
    }
    const r = settled.reply?.result ?? -1;
    return r >= 0
      ? { correct: 'returns', evidence: text(`open returned ${r}.`, `open 返回 ${r}。`, `open 回傳 ${r}。`) }
      : { correct: 'error', evidence: text(`open failed: ${settled.reply?.errno}.`, `open 失败：${settled.reply?.errno}。`, `open 失敗：${settled.reply?.errno}。`) };
  },
};

const steps: LessonStep[] = [
  {
    role: 'server',
    op: 'mkfifo',
    args: (v) => ({ ...fifoPath(v), mode: 0o600 }),
    code: 'mkfifo(path, 0600);',
    ...server('mkfifo('),
    explain: text(
      'The server creates a FIFO: a name in the file system (in a private directory ipcscope made for this lesson).',
      '服务器创建一个 FIFO：文件系统里的一个名字（位于 ipcscope 为本课创建的私有目录中）。',
      '伺服器建立一個 FIFO：檔案系統裡的一個名字（位於 ipcscope 為本課建立的私有目錄中）。',
    ),
  },
  {
    id: 'stat',
    role: 'server',
    op: 'stat',
    args: fifoPath,
    code: 'stat(path, &st);',
    ...server('stat(path'),
    explain: text(
      'stat shows the name is a FIFO (type p) of size 0 with no blocks: the bytes will never touch the disk.',
      'stat 显示这个名字是 FIFO（类型 p），大小为 0，没有数据块：字节永远不会落到磁盘上。',
      'stat 顯示這個名字是 FIFO（類型 p），大小為 0，沒有資料塊：位元組永遠不會落到磁碟上。',
    ),
  },
  {
    role: 'server',
    op: 'open',
    args: (v) => ({ ...fifoPath(v), access: 'read' }),
    save: saveResult('serverFd'),
    code: 'fd = open(path, O_RDONLY);',
    ...server('open(path, O_RDONLY)'),
    question: openQuestion,
    explain: text(
      'The server opens the FIFO for reading. No writer has it open, so the kernel puts the server to sleep inside open (wchan wait_for_partner).',
      '服务器以读方式打开 FIFO。还没有写者打开它，所以内核让服务器在 open 里睡眠（wchan 为 wait_for_partner）。',
      '伺服器以讀方式開啟 FIFO。還沒有寫者開啟它，所以核心讓伺服器在 open 裡睡眠（wchan 為 wait_for_partner）。',
    ),
  },
  {
    id: 'client-open',
    role: 'client',
    op: 'open',
    args: (v) => ({ ...fifoPath(v), access: 'write' }),
    save: saveResult('clientFd'),
    code: 'fd = open(path, O_WRONLY);',
    ...client('open(path, O_WRONLY)'),
    explain: text(
      'The client, a separate program started on its own, opens the same name for writing. Both opens return: the FIFO now has a reader and a writer.',
      '客户端是另一个单独启动的程序，它以写方式打开同一个名字。两个 open 都返回了：FIFO 现在有了读者和写者。',
      '用戶端是另一個單獨啟動的程式，它以寫方式開啟同一個名字。兩個 open 都回傳了：FIFO 現在有了讀者和寫者。',
    ),
  },
  {
    role: 'client',
    op: 'write',
    args: writeFd('clientFd', 'hello\n'),
    code: 'write(fd, "hello\\n", 6);',
    ...client('write(fd, "hello'),
    explain: text('The client writes a line.', '客户端写入一行。', '用戶端寫入一行。'),
  },
  {
    role: 'server',
    op: 'read',
    args: readFd('serverFd', 64),
    save: saveBytes('line'),
    code: 'n = read(fd, buf, sizeof buf);',
    ...server('read(fd'),
    explain: text('The server reads it.', '服务器读到它。', '伺服器讀到它。'),
  },
  {
    role: 'server',
    op: 'write',
    args: printVar('line'),
    code: 'write(STDOUT_FILENO, buf, n);',
    ...server('write(STDOUT_FILENO'),
    explain: text('And prints it.', '并打印出来。', '並印出來。'),
  },
  {
    role: 'client',
    op: 'write',
    args: writeFd('clientFd', 'bye\n'),
    code: 'write(fd, "bye\\n", 4);',
    ...client('write(fd, "bye'),
    explain: text('The client writes another line.', '客户端再写一行。', '用戶端再寫一行。'),
  },
  {
    role: 'server',
    op: 'read',
    args: readFd('serverFd', 64),
    save: saveBytes('line'),
    code: 'n = read(fd, buf, sizeof buf);',
    ...server('read(fd'),
    explain: text('The server reads it.', '服务器读到它。', '伺服器讀到它。'),
  },
  {
    role: 'server',
    op: 'write',
    args: printVar('line'),
    code: 'write(STDOUT_FILENO, buf, n);',
    ...server('write(STDOUT_FILENO'),
    explain: text('And prints it.', '并打印出来。', '並印出來。'),
  },
  {
    role: 'server',
    op: 'read',
    args: readFd('serverFd', 64),
    code: 'n = read(fd, buf, sizeof buf);',
    ...server('read(fd'),
    explain: text(
      'The FIFO is empty but the client still has it open: the server sleeps in read, as on a pipe.',
      'FIFO 空了，但客户端仍打开着它：服务器睡在 read 中，和管道一样。',
      'FIFO 空了，但用戶端仍開著它：伺服器睡在 read 中，和管道一樣。',
    ),
  },
  {
    role: 'client',
    op: 'close',
    args: onFd('clientFd'),
    code: 'close(fd);',
    ...client('close(fd)'),
    explain: text(
      'The client closes its end, the only write end: the server\'s read returns 0.',
      '客户端关闭它的一端，也是唯一的写端：服务器的 read 返回 0。',
      '用戶端關閉它的一端，也是唯一的寫端：伺服器的 read 回傳 0。',
    ),
  },
  {
    role: 'client',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...client('exit(0)'),
    explain: text('The client exits.', '客户端退出。', '用戶端結束。'),
  },
  {
    role: 'server',
    op: 'close',
    args: onFd('serverFd'),
    code: 'close(fd);',
    ...server('close(fd)'),
    explain: text('The server closes its end.', '服务器关闭它的一端。', '伺服器關閉它的一端。'),
  },
  {
    role: 'server',
    op: 'unlink',
    args: fifoPath,
    code: 'unlink(path);',
    ...server('unlink(path)'),
    explain: text('And removes the name. Nothing of the FIFO is left.', '并删除这个名字。FIFO 什么都没留下。', '並刪除這個名字。FIFO 什麼都沒留下。'),
  },
  {
    role: 'server',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...server('exit(0)'),
    explain: text('The server exits.', '服务器退出。', '伺服器結束。'),
  },
];

export const fifoServerClient: Lesson = {
  id: 'fifo-server-client',
  firstRole: 'server',
  alsoStarts: ['client'],
  tempDir: true,
  mechanism: 'fifo',
  programs: [fifoServerC, fifoClientC],
  title: text('A FIFO between two unrelated programs', '两个无关程序之间的 FIFO', '兩個無關程式之間的 FIFO'),
  summary: text(
    'A server makes a named pipe and waits in open() for a writer; a client, started separately, opens the same name and writes lines; the server prints them, sees end-of-file, and removes the name.',
    '服务器创建一个命名管道并在 open() 中等待写者；单独启动的客户端打开同一个名字并写入几行；服务器打印它们，读到文件结束，然后删除这个名字。',
    '伺服器建立一個具名管道並在 open() 中等待寫者；單獨啟動的用戶端開啟同一個名字並寫入幾行；伺服器印出它們，讀到檔案結尾，然後刪除這個名字。',
  ),
  claims: [noDataOnDisk, relatedOnly],
  steps,
};

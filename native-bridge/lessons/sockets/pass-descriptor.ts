/**
 * "Passing a descriptor" (issue 13, lesson 3): two processes the engine
 * starts separately (siblings, neither the other's parent) meet at a Unix
 * stream socket in the lesson's directory. The sender makes a pipe, writes
 * into it, and sends the pipe's read end with sendmsg and SCM_RIGHTS; it
 * closes its own read end while the other is still in flight, and a second
 * write gets no EPIPE: the open file waiting in the socket's queue still
 * counts as a reader. The receiver's recvmsg installs the pipe under a number
 * of its own; it reads both writes, then 0 once the sender closed the write end.
 */
import type { ActorReply } from '../../actor/actor-protocol';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { bytesReadQuestion, inFlightWriteQuestion, relatedOnlyClaim } from './pass-descriptor-claims';
import { fdReceiverC, fdSenderC } from '../programs/pass-descriptor/pass-programs';
import { exitWith, onFd, printVar, readFd, saveBytes, saveResult, text, writeFd } from '../step-kit';

const sender = (needle: string, nth = 1) => ({ program: fdSenderC.file, line: fdSenderC.line(needle, nth) });
const receiver = (needle: string, nth = 1) => ({ program: fdReceiverC.file, line: fdReceiverC.line(needle, nth) });
const socketPath = (v: LessonVars) => ({ path: `${stringVar(v, 'dir')}/pass.sock` });

export const FIRST_LINE = 'hello, stranger\n';
export const IN_FLIGHT_LINE = 'sent in flight\n';

const savePipe = (reply: ActorReply, vars: LessonVars): void => {
  const fds = reply.data?.fds;
  if (Array.isArray(fds)) [vars.p0, vars.p1] = [fds[0]!, fds[1]!];
  if (typeof reply.data?.inode === 'number') vars.pipeInode = reply.data.inode;
};

const saveAccepted = (reply: ActorReply, vars: LessonVars): void => {
  vars.cfd = reply.result;
  if (typeof reply.data?.inode === 'number') vars.cfdInode = reply.data.inode;
};

const saveReceived = (reply: ActorReply, vars: LessonVars): void => {
  const fds = reply.data?.fds;
  if (Array.isArray(fds) && typeof fds[0] === 'number') vars.pfd = fds[0];
};

const steps: LessonStep[] = [
  {
    role: 'receiver',
    op: 'socket',
    args: () => ({ family: 'unix', type: 'stream' }),
    save: saveResult('lfd'),
    code: 'int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);',
    ...receiver('socket('),
    explain: text(
      'The receiver, a program the engine started on its own, makes a Unix stream socket. The sender is another program started the same way: the two are siblings, neither is the other\'s parent.',
      '接收方是引擎单独启动的程序，它创建一个 Unix 流套接字。发送方是以同样方式启动的另一个程序：两者是兄弟，谁也不是谁的父进程。',
      '接收方是引擎單獨啟動的程式，它建立一個 Unix 串流通訊端。發送方是以同樣方式啟動的另一個程式：兩者是兄弟，誰也不是誰的父行程。',
    ),
  },
  {
    role: 'receiver',
    op: 'bind',
    args: (v) => ({ fd: numberVar(v, 'lfd'), ...socketPath(v) }),
    code: 'bind(lfd, (struct sockaddr *)&addr, sizeof addr);',
    ...receiver('bind('),
    explain: text(
      'It binds the socket to a path in the lesson\'s private directory, so that an unrelated process can find it.',
      '它把套接字绑定到本课私有目录里的一个路径上，好让一个无亲缘关系的进程能找到它。',
      '它把通訊端綁定到本課私有目錄裡的一個路徑上，好讓一個無親緣關係的行程能找到它。',
    ),
  },
  {
    role: 'receiver',
    op: 'listen',
    args: (v) => ({ fd: numberVar(v, 'lfd'), backlog: 1 }),
    code: 'listen(lfd, 1);',
    ...receiver('listen('),
    explain: text('And listens for one connection.', '然后监听，等待一个连接。', '然後監聽，等待一個連線。'),
  },
  {
    id: 'pipe',
    role: 'sender',
    op: 'pipe2',
    save: savePipe,
    code: 'pipe2(p, O_CLOEXEC);',
    ...sender('pipe2('),
    explain: text(
      'The sender makes an anonymous pipe: p[0] to read, p[1] to write. It has no name: no other process can open it, and the receiver, not being its child, did not inherit it.',
      '发送方创建一个匿名管道：p[0] 用来读，p[1] 用来写。它没有名字：别的进程无法打开它；接收方不是它的子进程，也没有继承到它。',
      '發送方建立一個匿名管道：p[0] 用來讀，p[1] 用來寫。它沒有名字：別的行程無法開啟它；接收方不是它的子行程，也沒有繼承到它。',
    ),
  },
  {
    role: 'sender',
    op: 'write',
    args: writeFd('p1', FIRST_LINE),
    code: 'write(p[1], "hello, stranger\\n", 16);',
    ...sender('write(p[1], "hello'),
    explain: text(
      'It writes 16 bytes into the pipe. They wait in the pipe\'s buffer for whoever reads p[0].',
      '它向管道写入 16 字节。这些字节在管道缓冲区里等待读 p[0] 的人。',
      '它向管道寫入 16 位元組。這些位元組在管道緩衝區裡等待讀 p[0] 的人。',
    ),
  },
  {
    role: 'sender',
    op: 'socket',
    args: () => ({ family: 'unix', type: 'stream' }),
    save: saveResult('s'),
    code: 'int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);',
    ...sender('socket('),
    explain: text('The sender makes a socket of its own.', '发送方创建自己的套接字。', '發送方建立自己的通訊端。'),
  },
  {
    role: 'sender',
    op: 'connect',
    args: (v) => ({ fd: numberVar(v, 's'), ...socketPath(v) }),
    code: 'connect(s, (struct sockaddr *)&addr, sizeof addr);',
    ...sender('connect('),
    explain: text(
      'It connects to the receiver\'s path. The connection waits in the listener\'s queue until accepted.',
      '它连接接收方的路径。连接在监听队列里等待被 accept。',
      '它連線接收方的路徑。連線在監聽佇列裡等待被 accept。',
    ),
  },
  {
    role: 'receiver',
    op: 'accept4',
    args: (v) => ({ fd: numberVar(v, 'lfd') }),
    save: saveAccepted,
    code: 'int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);',
    ...receiver('accept4('),
    explain: text(
      'The receiver accepts: the two processes are now joined by a connected pair of sockets.',
      '接收方 accept：两个进程现在由一对相连的套接字连在一起。',
      '接收方 accept：兩個行程現在由一對相連的通訊端連在一起。',
    ),
  },
  {
    id: 'sendmsg',
    role: 'sender',
    op: 'sendmsg-fd',
    syscall: 'sendmsg',
    args: (v) => ({ fd: numberVar(v, 's'), pass: [numberVar(v, 'p0')] }),
    code: 'sendmsg(s, &msg, 0);',
    ...sender('sendmsg('),
    explain: text(
      'sendmsg carries one data byte and a control message of type SCM_RIGHTS holding the number p[0]. The kernel looks the number up in the sender\'s table and queues a reference to the open file itself, not the number, at the receiver\'s socket.',
      'sendmsg 带着一个数据字节和一条类型为 SCM_RIGHTS 的控制消息，里面是编号 p[0]。内核在发送方的表里查这个编号，把对打开文件本身的引用（而不是编号）排到接收方的套接字上。',
      'sendmsg 帶著一個資料位元組和一則類型為 SCM_RIGHTS 的控制訊息，裡面是編號 p[0]。核心在發送方的表裡查這個編號，把對開啟檔案本身的參照（而不是編號）排到接收方的通訊端上。',
    ),
  },
  {
    id: 'close-read-end',
    role: 'sender',
    op: 'close',
    args: onFd('p0'),
    code: 'close(p[0]);',
    ...sender('close(p[0])'),
    explain: text(
      'The sender closes p[0]. Now no process holds the pipe\'s read end in its descriptor table: the only read end is in flight, in the message queued at the receiver\'s socket (its fdinfo says scm_fds: 1).',
      '发送方关闭 p[0]。现在没有任何进程的描述符表里有这个管道的读端：唯一的读端在途中，在排在接收方套接字上的那条消息里（它的 fdinfo 显示 scm_fds: 1）。',
      '發送方關閉 p[0]。現在沒有任何行程的描述符表裡有這個管道的讀端：唯一的讀端在途中，在排在接收方通訊端上的那則訊息裡（它的 fdinfo 顯示 scm_fds: 1）。',
    ),
  },
  {
    id: 'write-in-flight',
    role: 'sender',
    op: 'write',
    args: writeFd('p1', IN_FLIGHT_LINE),
    code: 'write(p[1], "sent in flight\\n", 15);',
    ...sender('write(p[1], "sent'),
    question: inFlightWriteQuestion,
    explain: text(
      'The sender writes again. A write to a pipe with no reader gets SIGPIPE, but this pipe still has one: the file in the socket\'s queue keeps the read side open, so the 15 bytes go in.',
      '发送方再写一次。向没有读者的管道写会收到 SIGPIPE，但这个管道还有读者：套接字队列里的那个文件让读端保持打开，所以 15 字节写了进去。',
      '發送方再寫一次。向沒有讀者的管道寫會收到 SIGPIPE，但這個管道還有讀者：通訊端佇列裡的那個檔案讓讀端保持開啟，所以 15 位元組寫了進去。',
    ),
  },
  {
    id: 'recvmsg',
    role: 'receiver',
    op: 'recvmsg-fd',
    syscall: 'recvmsg',
    args: (v) => ({ fd: numberVar(v, 'cfd') }),
    save: saveReceived,
    code: 'n = recvmsg(cfd, &msg, MSG_CMSG_CLOEXEC);',
    ...receiver('recvmsg('),
    explain: text(
      'The receiver calls recvmsg. The kernel takes the file out of the queue and installs it in the receiver\'s table at a free number of its own: the same pipe, another number.',
      '接收方调用 recvmsg。内核把文件从队列里取出，装进接收方的表里它自己的一个空闲编号上：同一个管道，另一个编号。',
      '接收方呼叫 recvmsg。核心把檔案從佇列裡取出，裝進接收方的表裡它自己的一個空閒編號上：同一個管道，另一個編號。',
    ),
  },
  {
    id: 'read-pipe',
    role: 'receiver',
    op: 'read',
    args: readFd('pfd', 64),
    save: saveBytes('line'),
    code: 'n = read(pfd, buf, sizeof buf);',
    ...receiver('read(pfd', 1),
    question: bytesReadQuestion,
    explain: text(
      'The receiver reads the pipe: both lines, 31 bytes, the second one written while the read end was in flight.',
      '接收方读这个管道：两行共 31 字节，第二行是在读端还在途中时写入的。',
      '接收方讀這個管道：兩行共 31 位元組，第二行是在讀端還在途中時寫入的。',
    ),
  },
  {
    role: 'receiver',
    op: 'write',
    args: printVar('line'),
    code: 'write(STDOUT_FILENO, buf, n);',
    ...receiver('write(STDOUT_FILENO'),
    explain: text('It prints what it read.', '它打印读到的内容。', '它印出讀到的內容。'),
  },
  {
    role: 'sender',
    op: 'close',
    args: onFd('p1'),
    code: 'close(p[1]);',
    ...sender('close(p[1])'),
    explain: text(
      'The sender closes p[1], the pipe\'s only write end.',
      '发送方关闭 p[1]，这是管道唯一的写端。',
      '發送方關閉 p[1]，這是管道唯一的寫端。',
    ),
  },
  {
    role: 'receiver',
    op: 'read',
    args: readFd('pfd', 64),
    code: 'n = read(pfd, buf, sizeof buf);',
    ...receiver('read(pfd', 2),
    explain: text(
      'The receiver\'s next read returns 0, end of file: the pipe behaves exactly as between a parent and its child.',
      '接收方的下一次 read 返回 0，即文件结束：这个管道的行为与父子进程之间的完全一样。',
      '接收方的下一次 read 回傳 0，即檔案結尾：這個管道的行為與父子行程之間的完全一樣。',
    ),
  },
  {
    role: 'sender',
    op: 'close',
    args: onFd('s'),
    code: 'close(s);',
    ...sender('close(s)'),
    explain: text('The sender closes its socket.', '发送方关闭它的套接字。', '發送方關閉它的通訊端。'),
  },
  {
    role: 'sender',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...sender('exit(0)'),
    explain: text('And exits.', '然后退出。', '然後結束。'),
  },
  {
    role: 'receiver',
    op: 'close',
    args: onFd('pfd'),
    code: 'close(pfd);',
    ...receiver('close(pfd)'),
    explain: text('The receiver closes the pipe: its last holder, so the kernel frees it.', '接收方关闭管道：它是最后一个持有者，内核释放管道。', '接收方關閉管道：它是最後一個持有者，核心釋放管道。'),
  },
  {
    role: 'receiver',
    op: 'close',
    args: onFd('cfd'),
    code: 'close(cfd);',
    ...receiver('close(cfd)'),
    explain: text('It closes the connected socket.', '它关闭已连接的套接字。', '它關閉已連線的通訊端。'),
  },
  {
    role: 'receiver',
    op: 'close',
    args: onFd('lfd'),
    code: 'close(lfd);',
    ...receiver('close(lfd)'),
    explain: text('And the listener.', '以及监听套接字。', '以及監聽通訊端。'),
  },
  {
    role: 'receiver',
    op: 'unlink',
    args: socketPath,
    code: 'unlink(path);',
    ...receiver('unlink(path)'),
    explain: text('It removes the socket file.', '它删除套接字文件。', '它刪除通訊端檔案。'),
  },
  {
    role: 'receiver',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(n == 0 ? 0 : 1);',
    ...receiver('exit(n == 0'),
    explain: text('And exits. Nothing of this lesson is left.', '然后退出。本课的一切都已不复存在。', '然後結束。本課的一切都已不復存在。'),
  },
];

export const passDescriptor: Lesson = {
  id: 'pass-descriptor',
  firstRole: 'receiver',
  alsoStarts: ['sender'],
  tempDir: true,
  mechanism: 'socket',
  programs: [fdSenderC, fdReceiverC],
  title: text('Passing a pipe (SCM_RIGHTS)', '传递管道描述符（SCM_RIGHTS）', '傳遞管道描述符（SCM_RIGHTS）'),
  summary: text(
    'Two unrelated processes meet at a Unix socket. The sender passes its pipe\'s read end with sendmsg and SCM_RIGHTS and closes its own copy; while the descriptor is in flight the pipe still has a reader (no EPIPE). The receiver gets it under another number and reads the pipe.',
    '两个无亲缘关系的进程在一个 Unix 套接字上会合。发送方用 sendmsg 和 SCM_RIGHTS 传出管道的读端，并关闭自己的那份；描述符在途期间管道仍有读者（没有 EPIPE）。接收方以另一个编号得到它并读这个管道。',
    '兩個無親緣關係的行程在一個 Unix 通訊端上會合。發送方用 sendmsg 和 SCM_RIGHTS 送出管道的讀端，並關閉自己的那份；描述符在途期間管道仍有讀者（沒有 EPIPE）。接收方以另一個編號得到它並讀這個管道。',
  ),
  claims: [relatedOnlyClaim],
  steps,
};

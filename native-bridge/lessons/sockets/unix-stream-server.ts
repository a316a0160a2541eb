/**
 * "A Unix domain stream server and its clients" (issue 13, lesson 1): the
 * server makes a socket, binds it to a path in the lesson's private
 * directory (the socket file, type s, no data blocks), listens; two clients,
 * started separately, connect BEFORE the server accepts and wait in the
 * listener's queue (as `ss -xl` shows: Recv-Q 2, Send-Q 5); accept takes the
 * first, which becomes a connected pair; a line goes there and back, the
 * client shuts down writing, the server reads 0, everything is closed and
 * the name removed. The `name` parameter shows the two ways bind refuses a
 * name: one that exists (EADDRINUSE) and one too long for sun_path.
 */
import type { LessonParams } from '../../model/frame-types';
import type { ActorReply } from '../../actor/actor-protocol';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { streamClientC, streamPairC, streamServerC } from '../programs/unix-stream-server/stream-programs';
import { pairSteps, recvOn, sendText } from './unix-stream-server-pair';
import { exitWith, onFd, saveBytes, saveResult, text } from '../step-kit';
import { acceptQuestion, connectQuestion, connectWithAcceptClaim, socketFileClaim } from './unix-stream-server-claims';

/** sizeof(sun_path) on Linux: the path and its final NUL must fit. */
export const SUN_PATH_BYTES = 108;

export type NameChoice = 'fresh' | 'taken' | 'long';

const server = (needle: string, nth = 1) => ({ program: streamServerC.file, line: streamServerC.line(needle, nth) });
const client = (needle: string, nth = 1) => ({ program: streamClientC.file, line: streamClientC.line(needle, nth) });

/** The socket's path: in the lesson directory; the "long" choice pads the name past sun_path. */
export function socketPath(vars: LessonVars, name: NameChoice): string {
  const dir = stringVar(vars, 'dir');
  return name === 'long' ? `${dir}/${'x'.repeat(SUN_PATH_BYTES)}.sock` : `${dir}/echo.sock`;
}

/** What a refused bind means, naming the path and the limit. */
function bindNote(reply: ActorReply, vars: LessonVars, name: NameChoice): string | null {
  const path = socketPath(vars, name);
  const bytes = Buffer.byteLength(path) + 1;
  if (bytes > SUN_PATH_BYTES) return `the path ${path} is ${bytes} bytes with its final NUL; sun_path holds ${SUN_PATH_BYTES}`;
  if (reply.errno === 'EADDRINUSE') return `${path} already exists: bind() makes the socket file itself and never reuses a name; unlink it first`;
  return reply.error ?? null;
}

const saveListener = (reply: ActorReply, vars: LessonVars): void => {
  vars.lfd = reply.result;
  if (typeof reply.data?.inode === 'number') vars.listenerInode = reply.data.inode;
};

const sendVar = (fdName: string, dataName: string) => (vars: LessonVars) => ({ fd: numberVar(vars, fdName), data: stringVar(vars, dataName) });

function clientSteps(role: 'client1' | 'client2', fdName: string, name: NameChoice, nth: string): LessonStep[] {
  return [
    {
      role,
      op: 'socket',
      args: () => ({ family: 'unix', type: 'stream' }),
      save: saveResult(fdName),
      code: 'fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);',
      ...client('socket('),
      explain: text(
        `The ${nth} client, a program started on its own, makes its socket.`,
        `第${nth === 'first' ? '一' : '二'}个客户端是单独启动的程序，它创建自己的套接字。`,
        `第${nth === 'first' ? '一' : '二'}個用戶端是單獨啟動的程式，它建立自己的通訊端。`,
      ),
    },
    {
      id: role === 'client1' ? 'connect1' : 'connect2',
      role,
      op: 'connect',
      args: (v) => ({ fd: numberVar(v, fdName), path: socketPath(v, name) }),
      code: 'connect(fd, (struct sockaddr *)&addr, sizeof addr);',
      ...client('connect('),
      ...(role === 'client1' ? { question: connectQuestion } : {}),
      explain:
        role === 'client1'
          ? text(
              'The client connects to the path. The server has not called accept(): the kernel completes the connection into the listener\'s queue and connect() returns.',
              '客户端连接这个路径。服务器还没有调用 accept()：内核把连接放进监听队列，connect() 就返回了。',
              '用戶端連線這個路徑。伺服器還沒有呼叫 accept()：核心把連線放進監聽佇列，connect() 就回傳了。',
            )
          : text(
              'A second client connects too. Now two connections wait to be accepted: ss -xl shows the listener with Recv-Q 2 (waiting) and Send-Q 5 (the backlog).',
              '第二个客户端也连接了。现在有两个连接等待被 accept：ss -xl 显示监听套接字 Recv-Q 为 2（等待数），Send-Q 为 5（backlog）。',
              '第二個用戶端也連線了。現在有兩個連線等待被 accept：ss -xl 顯示監聽通訊端 Recv-Q 為 2（等待數），Send-Q 為 5（backlog）。',
            ),
    },
  ];
}

function build(name: NameChoice): LessonStep[] {
  const path = (v: LessonVars) => ({ path: socketPath(v, name) });
  const taken: LessonStep[] =
    name === 'taken'
      ? [
          {
            role: 'server',
            op: 'open-file',
            syscall: 'open',
            args: (v) => ({ ...path(v), create: true }),
            code: 'open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600)',
            ...server('open(path'),
            explain: text(
              'In this variant a file already holds the name, as a socket file left by a server that crashed would.',
              '在这个版本里，已有一个文件占着这个名字，就像崩溃的服务器留下的套接字文件那样。',
              '在這個版本裡，已有一個檔案佔著這個名字，就像當掉的伺服器留下的通訊端檔案那樣。',
            ),
          },
        ]
      : [];
  return [
    ...taken,
    {
      role: 'server',
      op: 'socket',
      args: () => ({ family: 'unix', type: 'stream' }),
      save: saveListener,
      code: 'lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);',
      ...server('socket('),
      explain: text(
        'The server makes a Unix domain stream socket. It has no name yet: nobody can find it.',
        '服务器创建一个 Unix 域流套接字。它还没有名字：谁也找不到它。',
        '伺服器建立一個 Unix 網域串流通訊端。它還沒有名字：誰也找不到它。',
      ),
    },
    {
      id: 'bind',
      role: 'server',
      op: 'bind',
      args: (v) => ({ fd: numberVar(v, 'lfd'), ...path(v) }),
      code: 'bind(lfd, (struct sockaddr *)&addr, sizeof addr);',
      ...server('bind('),
      failureNote: (reply, vars) => bindNote(reply, vars, name),
      explain: text(
        'bind() gives it a path in the lesson\'s private directory: the kernel creates the socket file there.',
        'bind() 给它一个路径，位于本课的私有目录里：内核在那里创建套接字文件。',
        'bind() 給它一個路徑，位於本課的私有目錄裡：核心在那裡建立通訊端檔案。',
      ),
    },
    {
      id: 'stat',
      role: 'server',
      op: 'stat',
      args: path,
      code: 'stat(path, &st);',
      ...server('stat(path'),
      explain: text(
        'stat() shows the new file: type s (socket), size 0, no data blocks.',
        'stat() 显示这个新文件：类型 s（套接字），大小 0，没有数据块。',
        'stat() 顯示這個新檔案：類型 s（通訊端），大小 0，沒有資料塊。',
      ),
    },
    {
      id: 'listen',
      role: 'server',
      op: 'listen',
      args: (v) => ({ fd: numberVar(v, 'lfd'), backlog: 5 }),
      code: 'listen(lfd, 5);',
      ...server('listen('),
      explain: text(
        'listen() makes it a listener: up to 5 connections may wait in its queue (the backlog).',
        'listen() 让它成为监听套接字：最多 5 个连接可以在它的队列里等待（backlog）。',
        'listen() 讓它成為監聽通訊端：最多 5 個連線可以在它的佇列裡等待（backlog）。',
      ),
    },
    ...clientSteps('client1', 'c1', name, 'first'),
    ...clientSteps('client2', 'c2', name, 'second'),
    {
      id: 'accept',
      role: 'server',
      op: 'accept4',
      syscall: 'accept4',
      args: (v) => ({ fd: numberVar(v, 'lfd') }),
      save: saveResult('cfd'),
      code: 'cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);',
      ...server('accept4('),
      question: acceptQuestion,
      explain: text(
        'accept() takes the oldest waiting connection out of the queue and returns a new descriptor for it: the server and the first client are now a connected pair. The listener keeps listening.',
        'accept() 从队列里取出最早的连接，并为它返回一个新描述符：服务器和第一个客户端现在是一对相连的套接字。监听套接字继续监听。',
        'accept() 從佇列裡取出最早的連線，並為它回傳一個新描述符：伺服器和第一個用戶端現在是一對相連的通訊端。監聽通訊端繼續監聽。',
      ),
    },
    {
      role: 'client1',
      op: 'send',
      args: sendText('c1', 'hello\n'),
      code: 'send(fd, "hello\\n", 6, 0);',
      ...client('send('),
      explain: text('The first client sends a line.', '第一个客户端发送一行。', '第一個用戶端傳送一行。'),
    },
    {
      role: 'server',
      op: 'recv',
      args: recvOn('cfd'),
      save: saveBytes('line'),
      code: 'n = recv(cfd, buf, sizeof buf, 0);',
      ...server('recv(cfd'),
      explain: text('The server receives it on the accepted socket.', '服务器在 accept 得到的套接字上收到它。', '伺服器在 accept 得到的通訊端上收到它。'),
    },
    {
      role: 'server',
      op: 'send',
      args: sendVar('cfd', 'line'),
      code: 'send(cfd, buf, n, 0);',
      ...server('send(cfd'),
      explain: text('And sends it back: the same socket carries data both ways.', '然后把它送回去：同一个套接字双向传数据。', '然後把它送回去：同一個通訊端雙向傳資料。'),
    },
    {
      role: 'client1',
      op: 'recv',
      args: recvOn('c1'),
      code: 'recv(fd, buf, sizeof buf, 0);',
      ...client('recv('),
      explain: text('The client receives the echo.', '客户端收到回声。', '用戶端收到回聲。'),
    },
    {
      role: 'client1',
      op: 'shutdown',
      args: (v) => ({ fd: numberVar(v, 'c1'), how: 'write' }),
      code: 'shutdown(fd, SHUT_WR);',
      ...client('shutdown('),
      explain: text(
        'The client shuts down its sending side only; it could still receive.',
        '客户端只关闭它的发送方向；它仍然可以接收。',
        '用戶端只關閉它的傳送方向；它仍然可以接收。',
      ),
    },
    {
      role: 'server',
      op: 'recv',
      args: recvOn('cfd'),
      code: 'n = recv(cfd, buf, sizeof buf, 0);',
      ...server('recv(cfd', 2),
      explain: text('The server\'s next recv() returns 0: end of stream.', '服务器的下一次 recv() 返回 0：流结束了。', '伺服器的下一次 recv() 回傳 0：串流結束了。'),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('cfd'),
      code: 'close(cfd);',
      ...server('close(cfd)'),
      explain: text('The server closes the accepted socket.', '服务器关闭 accept 得到的套接字。', '伺服器關閉 accept 得到的通訊端。'),
    },
    {
      role: 'client1',
      op: 'close',
      args: onFd('c1'),
      code: 'close(fd);',
      ...client('close(fd)'),
      explain: text('The first client closes its socket.', '第一个客户端关闭它的套接字。', '第一個用戶端關閉它的通訊端。'),
    },
    {
      role: 'client1',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...client('exit(0)'),
      explain: text('And exits.', '然后退出。', '然後結束。'),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('lfd'),
      code: 'close(lfd);',
      ...server('close(lfd)'),
      explain: text(
        'The server closes the listener. The second client was never accepted: its connection is dropped with the queue.',
        '服务器关闭监听套接字。第二个客户端从未被 accept：它的连接随队列一起被丢弃。',
        '伺服器關閉監聽通訊端。第二個用戶端從未被 accept：它的連線隨佇列一起被丟棄。',
      ),
    },
    {
      role: 'client2',
      op: 'recv',
      args: recvOn('c2'),
      expectFailure: true,
      code: 'recv(fd, buf, sizeof buf, 0);',
      ...client('recv('),
      explain: text(
        'The second client tries to read: the kernel says its connection was reset (ECONNRESET) because the listener went away.',
        '第二个客户端试着读：内核告诉它连接已被重置（ECONNRESET），因为监听套接字没了。',
        '第二個用戶端試著讀：核心告訴它連線已被重置（ECONNRESET），因為監聽通訊端沒了。',
      ),
    },
    {
      role: 'client2',
      op: 'close',
      args: onFd('c2'),
      code: 'close(fd);',
      ...client('close(fd)'),
      explain: text('It closes its socket.', '它关闭自己的套接字。', '它關閉自己的通訊端。'),
    },
    {
      role: 'client2',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...client('exit(0)'),
      explain: text('And exits.', '然后退出。', '然後結束。'),
    },
    {
      role: 'server',
      op: 'unlink',
      args: path,
      code: 'unlink(path);',
      ...server('unlink(path)'),
      explain: text(
        'Closing did not remove the socket file: the server unlinks the name. Nothing is left.',
        '关闭并没有删除套接字文件：服务器用 unlink 删除这个名字。什么都没留下。',
        '關閉並沒有刪除通訊端檔案：伺服器用 unlink 刪除這個名字。什麼都沒留下。',
      ),
    },
    ...pairSteps(),
  ];
}

function nameOf(params: LessonParams): NameChoice {
  return params.name === 'taken' || params.name === 'long' ? params.name : 'fresh';
}

export const unixStreamServer: Lesson = {
  id: 'unix-stream-server',
  firstRole: 'server',
  alsoStarts: ['client1', 'client2'],
  tempDir: true,
  mechanism: 'socket',
  programs: [streamServerC, streamClientC, streamPairC],
  title: text('Unix socket server and clients', 'Unix 套接字：服务器与两个客户端', 'Unix 通訊端：伺服器與兩個用戶端'),
  summary: text(
    'A server binds a socket to a path (a file of type s) and listens; two clients connect before it accepts and wait in its queue; accept takes one, a line goes there and back, shutdown, close, unlink; then socketpair, the anonymous version.',
    '服务器把套接字绑定到一个路径（类型为 s 的文件）并监听；两个客户端在它 accept 之前就连接上，在队列里等待；accept 取走一个，一行数据来回，然后 shutdown、close、unlink；最后是匿名版本 socketpair。',
    '伺服器把通訊端綁定到一個路徑（類型為 s 的檔案）並監聽；兩個用戶端在它 accept 之前就連線上，在佇列裡等待；accept 取走一個，一行資料來回，然後 shutdown、close、unlink；最後是匿名版本 socketpair。',
  ),
  params: [
    {
      name: 'name',
      kind: 'choice',
      label: text('Path', '路径', '路徑'),
      default: 'fresh',
      choices: [
        { value: 'fresh', label: text('new name', '新名字', '新名字') },
        { value: 'taken', label: text('name taken (EADDRINUSE)', '名字已存在（EADDRINUSE）', '名字已存在（EADDRINUSE）') },
        { value: 'long', label: text('too long for sun_path (108 B)', '超出 sun_path（108 字节）', '超出 sun_path（108 位元組）') },
      ],
    },
  ],
  claims: [socketFileClaim, connectWithAcceptClaim],
  steps: build('fresh'),
  stepsFor: (params) => build(nameOf(params)),
};

/**
 * "An echo server with a logger" (issue 13, lesson 4; seed 000 chapter 11's
 * echo_storeserv, in our words): a TCP server on 127.0.0.1 forks a logger
 * that holds the read end of a pipe and appends every line to a file in the
 * lesson's directory; two clients connect before any accept() (their
 * handshakes wait in the listener's queue, as `ss -tl` shows); per accepted
 * client the server forks a child that holds the connection (the parent
 * closes its copy); each child echoes its client's line and writes it into
 * the pipe. At the end everything is closed, every child reaped.
 * Parameters: `port` (0: the kernel picks a free one; a port in use gives
 * EADDRINUSE naming who holds it), and the two clients' lines.
 */
import type { LessonParams } from '../../model/frame-types';
import type { ActorReply } from '../../actor/actor-protocol';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { echoLogServerC, echoTcpClientC } from '../programs/echo-logger/echo-logger-programs';
import { conversationSteps, hangUpSteps, shutdownSteps } from './echo-logger-flow';
import { tcpConnectQuestion, tcpConnectWithAcceptClaim } from './echo-logger-claims';
import { bindNote } from './echo-logger-port';
import { onFd, saveFds, saveResult, text } from '../step-kit';

export const LOOPBACK = '127.0.0.1';
export const LOG_FILE = 'echo.log';
export const DEFAULT_LINES = ['hello from 1', 'hello from 2'] as const;
/** A client's line, as the learner may type it: at most this many UTF-8 bytes (the C client's msg[128] holds it with its newline). */
export const MAX_LINE_BYTES = 48;

const server = (needle: string, nth = 1) => ({ program: echoLogServerC.file, line: echoLogServerC.line(needle, nth) });
const client = (needle: string, nth = 1) => ({ program: echoTcpClientC.file, line: echoTcpClientC.line(needle, nth) });

export const logPath = (vars: LessonVars): string => `${stringVar(vars, 'dir')}/${LOG_FILE}`;

const saveListener = (reply: ActorReply, vars: LessonVars): void => {
  vars.lfd = reply.result;
  if (typeof reply.data?.inode === 'number') vars.listenerInode = reply.data.inode;
};

function clientSteps(no: 1 | 2): LessonStep[] {
  const role = `client${no}`;
  return [
    {
      role,
      op: 'socket',
      args: () => ({ family: 'inet', type: 'stream' }),
      save: saveResult(`c${no}`),
      code: 'socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)',
      ...client('socket(AF_INET'),
      explain: text(
        `${role}, a program started on its own, makes a TCP socket.`,
        `${role} 是单独启动的程序，它创建一个 TCP 套接字。`,
        `${role} 是單獨啟動的程式，它建立一個 TCP 通訊端。`,
      ),
    },
    {
      id: `connect${no}`,
      role,
      op: 'connect',
      args: (v) => ({ fd: numberVar(v, `c${no}`), host: LOOPBACK, port: numberVar(v, 'port') }),
      code: 'connect(fd, (struct sockaddr *)&addr, sizeof addr)',
      ...client('connect('),
      ...(no === 1 ? { question: tcpConnectQuestion } : {}),
      explain:
        no === 1
          ? text(
              'client1 connects to 127.0.0.1 on the server\'s port. The server has not called accept(): the kernel completes the handshake and queues the connection.',
              'client1 连接 127.0.0.1 上服务器的端口。服务器还没有调用 accept()：内核完成握手，把连接放进队列。',
              'client1 連線 127.0.0.1 上伺服器的連接埠。伺服器還沒有呼叫 accept()：核心完成交握，把連線放進佇列。',
            )
          : text(
              'client2 connects as well. Two finished connections now wait to be accepted: ss -tl shows Recv-Q 2 and Send-Q 5 on the listener.',
              'client2 也连接了。现在有两个已完成的连接等待 accept：ss -tl 显示监听套接字 Recv-Q 为 2，Send-Q 为 5。',
              'client2 也連線了。現在有兩個已完成的連線等待 accept：ss -tl 顯示監聽通訊端 Recv-Q 為 2，Send-Q 為 5。',
            ),
    },
  ];
}

/** accept, fork a child for the connection, the parent closes its copy, the child closes the listener. */
function acceptSteps(no: 1 | 2): LessonStep[] {
  const child = `child${no}`;
  return [
    {
      id: `accept${no}`,
      role: 'server',
      op: 'accept4',
      args: (v) => ({ fd: numberVar(v, 'lfd') }),
      save: saveResult(`a${no}`),
      code: 'cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)',
      ...server('accept4('),
      explain: text(
        `accept() takes the oldest waiting connection (${no === 1 ? 'client1' : 'client2'}'s) out of the queue and returns a new socket for it; the listener keeps listening.`,
        `accept() 从队列里取出最早的连接（${no === 1 ? 'client1' : 'client2'} 的），为它返回一个新套接字；监听套接字继续监听。`,
        `accept() 從佇列裡取出最早的連線（${no === 1 ? 'client1' : 'client2'} 的），為它回傳一個新通訊端；監聽通訊端繼續監聽。`,
      ),
    },
    {
      role: 'server',
      op: 'spawn-child',
      spawns: child,
      save: saveResult(child),
      code: 'child[i] = fork()',
      ...server('child[i] = fork()'),
      explain: text(
        `The server forks ${child} for this client. The child inherits every descriptor: the new connection, the pipe's write end, and the listener too.`,
        `服务器为这个客户端 fork 出 ${child}。子进程继承所有描述符：新连接、管道写端，还有监听套接字。`,
        `伺服器為這個用戶端 fork 出 ${child}。子行程繼承所有描述符：新連線、管道寫端，還有監聽通訊端。`,
      ),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd(`a${no}`),
      code: 'close(cfd)',
      ...server('close(cfd)'),
      explain: text(
        `The parent closes its copy of the connection: only ${child} holds it now, and the connection ends when ${child} is done with it.`,
        `父进程关闭自己那份连接：现在只有 ${child} 持有它，${child} 用完时连接才结束。`,
        `父行程關閉自己那份連線：現在只有 ${child} 持有它，${child} 用完時連線才結束。`,
      ),
    },
    {
      role: child,
      op: 'close',
      args: onFd('lfd'),
      code: 'close(lfd)',
      ...server('close(lfd)', 2),
      explain: text(`${child} closes its copy of the listener: only the parent accepts.`, `${child} 关闭它那份监听套接字：只有父进程负责 accept。`, `${child} 關閉它那份監聽通訊端：只有父行程負責 accept。`),
    },
  ];
}

function setupSteps(port: number): LessonStep[] {
  return [
    {
      role: 'server',
      op: 'socket',
      args: () => ({ family: 'inet', type: 'stream' }),
      save: saveListener,
      code: 'lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)',
      ...server('socket(AF_INET'),
      explain: text('The server makes a TCP socket (AF_INET, SOCK_STREAM).', '服务器创建一个 TCP 套接字（AF_INET，SOCK_STREAM）。', '伺服器建立一個 TCP 通訊端（AF_INET，SOCK_STREAM）。'),
    },
    {
      id: 'bind',
      role: 'server',
      op: 'bind',
      args: (v) => ({ fd: numberVar(v, 'lfd'), host: LOOPBACK, port }),
      code: 'bind(lfd, (struct sockaddr *)&addr, sizeof addr)',
      ...server('bind(lfd'),
      explain:
        port === 0
          ? text(
              'bind() to 127.0.0.1 with port 0: the kernel picks a free port, so this lesson never collides with another program.',
              'bind() 到 127.0.0.1，端口为 0：由内核挑一个空闲端口，所以本课不会和别的程序冲突。',
              'bind() 到 127.0.0.1，連接埠為 0：由核心挑一個空閒連接埠，所以本課不會和別的程式衝突。',
            )
          : text(
              `bind() to 127.0.0.1 port ${port}, the port you chose. If a socket already holds it, bind() fails with EADDRINUSE.`,
              `bind() 到 127.0.0.1 的 ${port} 端口，也就是你选的端口。若已有套接字占着它，bind() 以 EADDRINUSE 失败。`,
              `bind() 到 127.0.0.1 的 ${port} 連接埠，也就是你選的連接埠。若已有通訊端佔著它，bind() 以 EADDRINUSE 失敗。`,
            ),
    },
    {
      id: 'getsockname',
      role: 'server',
      op: 'getsockname',
      args: onFd('lfd'),
      save: (reply, vars) => {
        if (typeof reply.data?.port === 'number') vars.port = reply.data.port;
      },
      code: 'getsockname(lfd, (struct sockaddr *)&addr, &len)',
      ...server('getsockname('),
      explain: text(
        'getsockname() asks the kernel which address and port the socket got: the clients will connect there.',
        'getsockname() 向内核询问套接字得到的地址和端口：客户端将连到那里。',
        'getsockname() 向核心詢問通訊端得到的位址和連接埠：用戶端將連到那裡。',
      ),
    },
    {
      id: 'listen',
      role: 'server',
      op: 'listen',
      args: (v) => ({ fd: numberVar(v, 'lfd'), backlog: 5 }),
      code: 'listen(lfd, 5)',
      ...server('listen(lfd'),
      explain: text(
        'listen() makes it a listener: up to 5 finished connections may wait for accept().',
        'listen() 让它成为监听套接字：最多 5 个已完成的连接可以等待 accept()。',
        'listen() 讓它成為監聽通訊端：最多 5 個已完成的連線可以等待 accept()。',
      ),
    },
    {
      role: 'server',
      op: 'pipe2',
      save: saveFds('p0', 'p1'),
      code: 'pipe2(pfd, O_CLOEXEC)',
      ...server('pipe2('),
      explain: text('A pipe for the log lines: the children will write, the logger will read.', '一个传送日志行的管道：子进程写，记录进程读。', '一個傳送日誌行的管道：子行程寫，記錄行程讀。'),
    },
    {
      role: 'server',
      op: 'spawn-child',
      spawns: 'logger',
      save: saveResult('logger'),
      code: 'logger = fork()',
      ...server('logger = fork()'),
      explain: text(
        'The server forks the logger before accepting anyone. The logger inherits the pipe\'s two ends and the listener.',
        '服务器在 accept 任何人之前先 fork 出记录进程。记录进程继承管道的两端和监听套接字。',
        '伺服器在 accept 任何人之前先 fork 出記錄行程。記錄行程繼承管道的兩端和監聽通訊端。',
      ),
    },
    {
      role: 'logger',
      op: 'close',
      args: onFd('lfd'),
      code: 'close(lfd)',
      ...server('close(lfd)'),
      explain: text('The logger closes its copy of the listener.', '记录进程关闭它那份监听套接字。', '記錄行程關閉它那份監聽通訊端。'),
    },
    {
      role: 'logger',
      op: 'close',
      args: onFd('p1'),
      code: 'close(pfd[1])',
      ...server('close(pfd[1])'),
      explain: text(
        'And its write end of the pipe: a reader that kept one would never see end of file.',
        '再关闭它的管道写端：保留写端的读者永远等不到文件结束。',
        '再關閉它的管道寫端：保留寫端的讀者永遠等不到檔案結束。',
      ),
    },
    {
      role: 'logger',
      op: 'open-file',
      syscall: 'open',
      args: (v) => ({ path: logPath(v), create: true, append: true }),
      save: saveResult('logfd'),
      code: 'open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)',
      ...server('open(path'),
      explain: text(
        `The logger opens ${LOG_FILE} in the lesson's directory for appending.`,
        `记录进程以追加方式打开本课目录里的 ${LOG_FILE}。`,
        `記錄行程以附加方式開啟本課目錄裡的 ${LOG_FILE}。`,
      ),
    },
    {
      role: 'logger',
      op: 'read',
      args: (v) => ({ fd: numberVar(v, 'p0'), count: 256 }),
      save: (reply, vars) => {
        if (typeof reply.data?.bytes === 'string') vars.logged1 = reply.data.bytes;
      },
      code: 'read(pfd[0], buf, sizeof buf)',
      ...server('read(pfd[0]'),
      explain: text(
        'The logger reads the pipe. It is empty: the logger sleeps in the kernel (anon_pipe_read) until a child writes a line.',
        '记录进程读管道。管道是空的：它在内核里睡眠（anon_pipe_read），直到某个子进程写入一行。',
        '記錄行程讀管道。管道是空的：它在核心裡睡眠（anon_pipe_read），直到某個子行程寫入一行。',
      ),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('p0'),
      code: 'close(pfd[0])',
      ...server('close(pfd[0])'),
      explain: text('The server closes its read end: it never reads the log lines itself.', '服务器关闭自己的读端：它自己从不读日志行。', '伺服器關閉自己的讀端：它自己從不讀日誌行。'),
    },
  ];
}

function build(port: number, lines: readonly [string, string]): LessonStep[] {
  return [
    ...setupSteps(port),
    ...clientSteps(1),
    ...clientSteps(2),
    ...acceptSteps(1),
    ...acceptSteps(2),
    ...conversationSteps(1, lines[0], true),
    ...conversationSteps(2, lines[1], false),
    ...hangUpSteps(1),
    ...hangUpSteps(2),
    ...shutdownSteps(),
  ];
}

/** The bind step's failure note needs the port asked for: added here so the steps above stay data. */
function withBindNote(steps: LessonStep[], port: number): LessonStep[] {
  return steps.map((s) => (s.id === 'bind' ? { ...s, failureNote: (reply) => bindNote(reply, port) } : s));
}

function stepsFor(params: LessonParams): LessonStep[] {
  const port = typeof params.port === 'number' ? params.port : 0;
  const line = (name: string, fallback: string): string => (typeof params[name] === 'string' && params[name] !== '' ? String(params[name]) : fallback);
  return withBindNote(build(port, [line('line1', DEFAULT_LINES[0]), line('line2', DEFAULT_LINES[1])]), port);
}

export const echoLogger: Lesson = {
  id: 'echo-logger',
  firstRole: 'server',
  alsoStarts: ['client1', 'client2'],
  tempDir: true,
  mechanism: 'socket',
  programs: [echoLogServerC, echoTcpClientC],
  title: text('TCP echo server with a logger', 'TCP 回声服务器与记录进程', 'TCP 回聲伺服器與記錄行程'),
  summary: text(
    'A server on 127.0.0.1 (port 0: the kernel picks one) forks a logger fed through a pipe, then a child per client after accept(); two clients connect before any accept, each sends the line you type, echoed and logged to a file; children reaped, nothing left.',
    '127.0.0.1 上的服务器（端口 0：由内核挑选）先 fork 出一个经管道接收数据的记录进程，再在每次 accept() 后为客户端 fork 子进程；两个客户端在 accept 之前就连上，各自发送你输入的一行，被回送并记入文件；子进程全部回收，什么都不留。',
    '127.0.0.1 上的伺服器（連接埠 0：由核心挑選）先 fork 出一個經管道接收資料的記錄行程，再在每次 accept() 後為用戶端 fork 子行程；兩個用戶端在 accept 之前就連上，各自傳送你輸入的一行，被回送並記入檔案；子行程全部回收，什麼都不留。',
  ),
  params: [
    { name: 'port', kind: 'int', label: text('Port', '端口', '連接埠'), min: 0, max: 65535, default: 0 },
    { name: 'line1', kind: 'text', label: text('client1', 'client1', 'client1'), maxBytes: MAX_LINE_BYTES, default: DEFAULT_LINES[0] },
    { name: 'line2', kind: 'text', label: text('client2', 'client2', 'client2'), maxBytes: MAX_LINE_BYTES, default: DEFAULT_LINES[1] },
  ],
  claims: [tcpConnectWithAcceptClaim],
  steps: stepsFor({}),
  stepsFor,
};

/**
 * The echo-logger lesson's middle and end: each client's line goes to its
 * child, comes back, and goes down the pipe to the logger, which appends it
 * to the log file; then the clients close, the children read 0 and exit,
 * the server reaps them, closes the last write end of the pipe (the logger
 * reads 0) and reaps the logger.
 */
import type { LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { echoLogServerC, echoTcpClientC } from '../programs/echo-logger/echo-logger-programs';
import { loggerEofQuestion } from './echo-logger-claims';
import { exitWith, onFd, saveBytes, text, waitFor } from '../step-kit';

const server = (needle: string, nth = 1) => ({ program: echoLogServerC.file, line: echoLogServerC.line(needle, nth) });
const client = (needle: string, nth = 1) => ({ program: echoTcpClientC.file, line: echoTcpClientC.line(needle, nth) });

const bytesVar = (fdName: string, dataName: string) => (vars: LessonVars) => ({ fd: numberVar(vars, fdName), data: stringVar(vars, dataName) });
const recvOn = (fdName: string) => (vars: LessonVars) => ({ fd: numberVar(vars, fdName), count: 256 });

export type ClientNo = 1 | 2;

function clientSend(no: ClientNo, line: string, queuedFirst: boolean): LessonStep {
  const c = `client${no}`;
  return {
    role: c,
    op: 'send',
    args: (v) => ({ fd: numberVar(v, `c${no}`), text: `${line}\n` }),
    code: 'send(fd, msg, n, 0);',
    ...client('send(fd'),
    explain: queuedFirst
      ? text(
          `${c} sends its line "${line}". Its child is not reading yet: the bytes wait in the receive queue of the child's socket (ss -tn: Recv-Q ${Buffer.byteLength(line) + 1}).`,
          `${c} 发送它的一行 "${line}"。为它服务的子进程还没开始读：这些字节在子进程那端套接字的接收队列里等待（ss -tn：Recv-Q ${Buffer.byteLength(line) + 1}）。`,
          `${c} 傳送它的一行 "${line}"。為它服務的子行程還沒開始讀：這些位元組在子行程那端通訊端的接收佇列裡等待（ss -tn：Recv-Q ${Buffer.byteLength(line) + 1}）。`,
        )
      : text(
          `${c} sends its line "${line}" over the loopback connection: the sleeping child wakes with it.`,
          `${c} 经回环连接发送它的一行 "${line}"：睡着的子进程带着这些数据醒来。`,
          `${c} 經迴環連線傳送它的一行 "${line}"：睡著的子行程帶著這些資料醒來。`,
        ),
  };
}

/** One client's line: received by its child, echoed, written into the pipe, logged, and read back by the client. */
export function conversationSteps(no: ClientNo, line: string, childWaitsFirst: boolean): LessonStep[] {
  const child = `child${no}`;
  const c = `client${no}`;
  const got = `got${no}`;
  const logged = `logged${no}`;
  const recv: LessonStep = {
    role: child,
    op: 'recv',
    args: recvOn(`a${no}`),
    save: saveBytes(got),
    code: 'recv(cfd, buf, sizeof buf, 0)',
    ...server('recv(cfd'),
    explain: childWaitsFirst
      ? text(
          `${child} calls recv() on its connection. Nothing has arrived: it sleeps in the kernel until its client sends.`,
          `${child} 在它的连接上调用 recv()。什么都还没到：它在内核里睡眠，直到客户端发送数据。`,
          `${child} 在它的連線上呼叫 recv()。什麼都還沒到：它在核心裡睡眠，直到用戶端傳送資料。`,
        )
      : text(
          `${child} calls recv(): the line is already queued, so it returns at once with those bytes.`,
          `${child} 调用 recv()：那一行早已在队列里，所以它立刻带着这些字节返回。`,
          `${child} 呼叫 recv()：那一行早已在佇列裡，所以它立刻帶著這些位元組回傳。`,
        ),
  };
  const send = clientSend(no, line, !childWaitsFirst);
  return [
    ...(childWaitsFirst ? [recv, send] : [send, recv]),
    {
      role: child,
      op: 'send',
      args: bytesVar(`a${no}`, got),
      code: 'send(cfd, buf, n, 0)',
      ...server('send(cfd'),
      explain: text(
        `${child} sends the same bytes back. Until ${c} reads them they sit in ${c}'s receive queue.`,
        `${child} 把同样的字节送回去。在 ${c} 读走之前，它们待在 ${c} 的接收队列里。`,
        `${child} 把同樣的位元組送回去。在 ${c} 讀走之前，它們待在 ${c} 的接收佇列裡。`,
      ),
    },
    {
      id: `log-write${no}`,
      role: child,
      op: 'write',
      args: bytesVar('p1', got),
      code: 'write(logpipe, buf, n)',
      ...server('write(logpipe'),
      explain: text(
        `${child} writes the line into the pipe it inherited from the server. The logger, asleep in read() on the other end, wakes with it.`,
        `${child} 把这一行写进从服务器继承来的管道。睡在另一端 read() 里的记录进程带着它醒来。`,
        `${child} 把這一行寫進從伺服器繼承來的管道。睡在另一端 read() 裡的記錄行程帶著它醒來。`,
      ),
    },
    {
      role: 'logger',
      op: 'write',
      args: bytesVar('logfd', logged),
      code: 'write(logfd, buf, n)',
      ...server('write(logfd'),
      explain: text(
        'The logger appends what it read to the log file in the lesson\'s directory.',
        '记录进程把读到的内容追加到本课目录里的日志文件。',
        '記錄行程把讀到的內容附加到本課目錄裡的日誌檔案。',
      ),
    },
    {
      role: 'logger',
      op: 'read',
      args: (v) => ({ fd: numberVar(v, 'p0'), count: 256 }),
      save: saveBytes(`logged${no + 1}`),
      code: 'read(pfd[0], buf, sizeof buf)',
      ...server('read(pfd[0]'),
      explain: text(
        'And reads again: the pipe is empty, so it sleeps until the next line.',
        '然后再读：管道空了，所以它睡到下一行到来。',
        '然後再讀：管道空了，所以它睡到下一行到來。',
      ),
    },
    {
      role: c,
      op: 'recv',
      args: recvOn(`c${no}`),
      save: saveBytes(`echo${no}`),
      code: 'recv(fd, buf, sizeof buf, 0)',
      ...client('recv(fd'),
      explain: text(`${c} receives its echo.`, `${c} 收到自己的回声。`, `${c} 收到自己的回聲。`),
    },
  ];
}

/** A client closes; its child's recv returns 0, the child exits and is reaped. */
export function hangUpSteps(no: ClientNo): LessonStep[] {
  const child = `child${no}`;
  const c = `client${no}`;
  return [
    {
      role: c,
      op: 'close',
      args: onFd(`c${no}`),
      code: 'close(fd)',
      ...client('close(fd)'),
      explain: text(
        `${c} closes its socket: the kernel sends FIN, and this end will wait in TIME-WAIT for a minute (it closed first), holding no descriptor.`,
        `${c} 关闭它的套接字：内核发出 FIN；因为是它先关闭，这一端会在 TIME-WAIT 里待一分钟，不占任何描述符。`,
        `${c} 關閉它的通訊端：核心送出 FIN；因為是它先關閉，這一端會在 TIME-WAIT 裡待一分鐘，不佔任何描述符。`,
      ),
    },
    {
      role: c,
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0)',
      ...client('exit(0)'),
      explain: text(`${c} exits.`, `${c} 退出。`, `${c} 結束。`),
    },
    {
      role: child,
      op: 'recv',
      args: recvOn(`a${no}`),
      code: 'recv(cfd, buf, sizeof buf, 0)',
      ...server('recv(cfd'),
      explain: text(`${child}'s recv() returns 0: its client is gone.`, `${child} 的 recv() 返回 0：它的客户端走了。`, `${child} 的 recv() 回傳 0：它的用戶端走了。`),
    },
    {
      role: child,
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0)',
      ...server('exit(0)', 2),
      explain: text(
        `${child} exits; exiting closes its connection and its copy of the pipe's write end. Until the server waits for it, it stays a zombie.`,
        `${child} 退出；退出会关闭它的连接和它那份管道写端。在服务器 wait 它之前，它是个僵尸进程。`,
        `${child} 結束；結束會關閉它的連線和它那份管道寫端。在伺服器 wait 它之前，它是個殭屍行程。`,
      ),
    },
    {
      id: `reap${no}`,
      role: 'server',
      op: 'waitpid',
      args: waitFor(child),
      code: 'waitpid(child[i], NULL, 0)',
      ...server('waitpid(child[i]'),
      explain: text(`The server reaps ${child}: no zombie is left.`, `服务器回收 ${child}：不留僵尸。`, `伺服器回收 ${child}：不留殭屍。`),
    },
  ];
}

/** The server closes the last write end (the logger reads 0), reaps the logger and closes the listener. */
export function shutdownSteps(): LessonStep[] {
  return [
    {
      id: 'close-write-end',
      role: 'server',
      op: 'close',
      args: onFd('p1'),
      code: 'close(pfd[1])',
      ...server('close(pfd[1])', 2),
      question: loggerEofQuestion,
      explain: text(
        'The server closes its write end of the pipe, the last one anywhere: the logger\'s read() returns 0.',
        '服务器关闭自己的管道写端，这是最后一个：记录进程的 read() 返回 0。',
        '伺服器關閉自己的管道寫端，這是最後一個：記錄行程的 read() 回傳 0。',
      ),
    },
    {
      role: 'logger',
      op: 'close',
      args: onFd('logfd'),
      code: 'close(logfd)',
      ...server('close(logfd)'),
      explain: text('The logger closes its log file.', '记录进程关闭日志文件。', '記錄行程關閉日誌檔案。'),
    },
    {
      role: 'logger',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0)',
      ...server('exit(0)', 1),
      explain: text('And exits.', '然后退出。', '然後結束。'),
    },
    {
      role: 'server',
      op: 'waitpid',
      args: waitFor('logger'),
      code: 'waitpid(logger, NULL, 0)',
      ...server('waitpid(logger'),
      explain: text('The server reaps the logger.', '服务器回收记录进程。', '伺服器回收記錄行程。'),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('lfd'),
      code: 'close(lfd)',
      ...server('close(lfd)', 3),
      explain: text(
        'The server closes the listener: nothing listens on the port any more.',
        '服务器关闭监听套接字：这个端口上不再有人监听。',
        '伺服器關閉監聽通訊端：這個連接埠上不再有人監聽。',
      ),
    },
    {
      role: 'server',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0)',
      ...server('exit(0)', 3),
      explain: text('The server exits. Nothing of the lesson is left but the log file, which goes with the lesson\'s directory.', '服务器退出。本课只留下日志文件，它会随本课目录一起删除。', '伺服器結束。本課只留下日誌檔案，它會隨本課目錄一起刪除。'),
    },
  ];
}

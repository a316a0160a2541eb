/**
 * The unix-stream-server lesson's last part: socketpair(), the anonymous
 * version (pair.c, run by the server after it removed its socket file): two
 * sockets already joined, no name, no file, nothing to listen on or accept.
 */
import type { LessonStep, LessonVars } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { streamPairC } from '../programs/unix-stream-server/stream-programs';
import { exitWith, onFd, saveFds, text } from '../step-kit';

/** send()/recv() arguments on the descriptor saved as vars[name] (both parts of the lesson use them). */
export const sendText = (name: string, message: string) => (vars: LessonVars) => ({ fd: numberVar(vars, name), text: message });
export const recvOn = (name: string) => (vars: LessonVars) => ({ fd: numberVar(vars, name), count: 64 });

const pair = (needle: string, nth = 1) => ({ program: streamPairC.file, line: streamPairC.line(needle, nth) });

export function pairSteps(): LessonStep[] {
  return [
    {
      id: 'socketpair',
      role: 'server',
      op: 'socketpair',
      args: () => ({ type: 'stream' }),
      save: saveFds('p0', 'p1'),
      code: 'socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);',
      ...pair('socketpair('),
      explain: text(
        'The anonymous version (pair.c): socketpair() returns two sockets already connected to each other. No name, no file, no listen or accept: only a process holding the descriptors (or a child that inherits them) can use them.',
        '匿名版本（pair.c）：socketpair() 返回两个已经互相连接的套接字。没有名字，没有文件，也不需要 listen 或 accept：只有持有这两个描述符的进程（或继承它们的子进程）才能使用。',
        '匿名版本（pair.c）：socketpair() 回傳兩個已經互相連線的通訊端。沒有名字，沒有檔案，也不需要 listen 或 accept：只有持有這兩個描述符的行程（或繼承它們的子行程）才能使用。',
      ),
    },
    {
      role: 'server',
      op: 'send',
      args: sendText('p0', 'ping\n'),
      code: 'send(sv[0], "ping\\n", 5, 0);',
      ...pair('send(sv[0]'),
      explain: text('Bytes sent into one end...', '从一端送进去的字节……', '從一端送進去的位元組……'),
    },
    {
      role: 'server',
      op: 'recv',
      args: recvOn('p1'),
      code: 'recv(sv[1], buf, sizeof buf, 0);',
      ...pair('recv(sv[1]'),
      explain: text('...come out of the other, as on the accepted connection.', '……从另一端出来，和 accept 得到的连接一样。', '……從另一端出來，和 accept 得到的連線一樣。'),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('p0'),
      code: 'close(sv[0]);',
      ...pair('close(sv[0])'),
      explain: text('Close one end...', '关闭一端……', '關閉一端……'),
    },
    {
      role: 'server',
      op: 'close',
      args: onFd('p1'),
      code: 'close(sv[1]);',
      ...pair('close(sv[1])'),
      explain: text('...and the other: the pair is gone, with nothing to unlink.', '……再关闭另一端：这对套接字就没了，没有什么需要 unlink。', '……再關閉另一端：這對通訊端就沒了，沒有什麼需要 unlink。'),
    },
    {
      role: 'server',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...pair('exit(0)'),
      explain: text('The server exits.', '服务器退出。', '伺服器結束。'),
    },
  ];
}
